// The one-sample Kolmogorov-Smirnov distribution for finite n: scipy's `kstwo.sf(d, n)`, which ks_2samp uses
// outside its exact regime. Same regime choices as scipy 1.10's _ksstats._kolmogn (Simard & L'Ecuyer 2011).

const LOG_2PI = Math.log(2 * Math.PI);
// Stirling series coefficients for ln(n!) − n ln n, as scipy lists them (shortest round-trip doubles).
const STIRLING = [
  -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417, -0.0005952380952380953,
  0.0007936507936507937, -0.002777777777777778, 0.08333333333333333,
];
const SCALE_EXPONENT = 128;
const SCALE = 2 ** SCALE_EXPONENT;

const clip = (p: number): number => Math.min(Math.max(p, 0), 1);

function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  let poly = 0;
  for (const coefficient of STIRLING) poly = poly * (rn / n) + coefficient;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/** One-sided Smirnov upper tail P(D+_n >= d), by the Birnbaum-Tingey sum in logs (scipy.special.smirnov). */
export function smirnov(n: number, d: number): number {
  if (d <= 0) return 1;
  if (d >= 1) return 0;
  const last = Math.floor(n * (1 - d));
  let logBinomial = 0; // ln C(n, j), updated as j grows
  let sum = 0;
  for (let j = 0; j <= last; j += 1) {
    if (j > 0) logBinomial += Math.log((n - j + 1) / j);
    const low = 1 - d - j / n;
    if (low <= 0 && n - j > 0) continue;
    const lowTerm = n - j === 0 ? 0 : (n - j) * Math.log(low);
    sum += Math.exp(logBinomial + lowTerm + (j - 1) * Math.log(d + j / n));
  }
  return clip(d * sum);
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i += 1) {
    for (let k = 0; k < m; k += 1) {
      const aik = a[i * m + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < m; j += 1) out[i * m + j]! += aik * b[k * m + j]!;
    }
  }
  return out;
}

/** P(D_n <= d) by the Durbin matrix (Marsaglia, Tsang & Wang 2003), exact up to rounding. */
export function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let factorial = 1;
  for (let j = 1; j <= m; j += 1) {
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = (1 - h ** j) * factorial;
  }
  v[m - 1] = (1 + Math.max(2 * h - 1, 0) ** m - 2 * h ** m) * factorial;
  let matrix: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i += 1) {
    for (let row = i - 1; row < m; row += 1) matrix[row * m + i] = w[row - i + 1]!;
  }
  for (let row = 0; row < m; row += 1) matrix[row * m] = v[row]!;
  for (let col = 0; col < m; col += 1) matrix[(m - 1) * m + col] = v[m - 1 - col]!;
  let power: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i += 1) power[i * m + i] = 1;
  let exponent = 0;
  let matrixExponent = 0;
  for (let remaining = n; remaining > 0; remaining = Math.floor(remaining / 2)) {
    if (remaining % 2) {
      power = multiply(power, matrix, m);
      exponent += matrixExponent;
    }
    matrix = multiply(matrix, matrix, m);
    matrixExponent *= 2;
    if (Math.abs(matrix[(k - 1) * m + (k - 1)]!) > SCALE) {
      for (let i = 0; i < matrix.length; i += 1) matrix[i]! /= SCALE;
      matrixExponent += SCALE_EXPONENT;
    }
  }
  let p = power[(k - 1) * m + (k - 1)]!;
  for (let i = 1; i <= n; i += 1) {
    p = (i * p) / n;
    if (Math.abs(p) < 1 / SCALE) {
      p *= SCALE;
      exponent -= SCALE_EXPONENT;
    }
  }
  return clip(p * 2 ** exponent);
}

/** Pelz-Good asymptotic series for P(D_n <= x), scipy's choice for large n. */
export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const [z2, z3, z4, z6] = [z ** 2, z ** 3, z ** 4, z ** 6];
  const pi2 = Math.PI ** 2;
  const pi4 = Math.PI ** 4;
  const pi6 = Math.PI ** 6;
  const qlog = -pi2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const [k1a, k1b] = [-z2, pi2 / 4];
  const [k2a, k2b, k2c] = [6 * z6 + 2 * z4, ((2 * z4 - 5 * z2) * pi2) / 4, (pi4 * (1 - 2 * z2)) / 16];
  const k3d = (pi6 * (5 - 30 * z2)) / 64;
  const k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const terms = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k > 0; k -= 1) {
    const m2 = (2 * k - 1) ** 2;
    const qPower = q ** (8 * k);
    const coefficients = [
      1,
      k1a + k1b * m2,
      k2a + k2b * m2 + k2c * m2 ** 2,
      k3a + k3b * m2 + k3c * m2 ** 2 + k3d * m2 ** 3,
    ];
    for (let i = 0; i < 4; i += 1) terms[i] = terms[i]! * qPower + coefficients[i]!;
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i += 1) terms[i] = (terms[i]! * q * Math.sqrt(2 * Math.PI)) / divisors[i]!;
  q = Math.exp(-pi2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxK; k > 0; k -= 1) {
    const qPower = q ** (k * k);
    k2extra += k * k * qPower;
    k3extra += (Math.sqrt(3) * z + Math.PI * k) * (Math.sqrt(3) * z - Math.PI * k) * k * k * qPower;
  }
  terms[2]! += (k2extra * pi2 * Math.sqrt(2 * Math.PI)) / (-36 * z3);
  terms[3]! += (k3extra * pi2 * Math.sqrt(2 * Math.PI)) / (216 * z6);
  return terms.reduce((sum, term, i) => sum + term / n ** (i / 2), 0);
}

/** Survival function of the two-sided one-sample KS statistic, scipy's `kstwo.sf(x, n)`. */
export function kolmogorovSurvival(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i += 1) cdf *= (i / n) * (2 * t - 1);
    } else cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnov(n, x));
  const nxSquared = t * x;
  if (n <= 140) {
    // scipy takes Pomeranz's recursion for 0.754693 < nx² <= 4; the Durbin matrix gives the same exact value.
    if (nxSquared <= 4) return clip(1 - durbinCdf(n, x));
    return clip(2 * smirnov(n, x));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clip(2 * smirnov(n, x));
  if (nxSquared >= 18) return 0;
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x);
  return clip(1 - cdf);
}
