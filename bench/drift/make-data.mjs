#!/usr/bin/env node
// Writes the drift benchmark's data: a reference and a current CSV of N rows x 20 columns each
// (about 110 MB apiece for 1M rows). 14 continuous columns (5 of them shifted or stretched in the
// current file), 2 small-integer columns and 4 categorical text columns (2 of them shifted), with a
// fixed seed so every run compares the same bytes.
//   node bench/drift/make-data.mjs OUT_DIR [ROWS]
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';

const [out = 'bench/.data/drift', rowsText = '1000000'] = process.argv.slice(2);
let state = 15;
const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
const pick = (labels, weights) => {
  let u = uniform();
  for (let i = 0; i < labels.length - 1; i++) if ((u -= weights[i]) < 0) return labels[i];
  return labels[labels.length - 1];
};
const COLORS = ['red', 'green', 'blue', 'black', 'white'];
const PLANS = ['basic', 'pro', 'team', 'enterprise'];
const REGIONS = Array.from({ length: 40 }, (_, i) => `region-${String(i).padStart(2, '0')}`);

// Each column: (current?) => cell text. Shifts apply to the current file only.
const COLUMNS = {
  ...Object.fromEntries(
    Array.from({ length: 14 }, (_, j) => {
      const shift = j === 1 ? 0.5 : j === 4 ? -0.3 : 0;
      const scale = j === 7 ? 1.6 : j === 10 ? 1.2 : 1;
      const skew = j === 12;
      return [
        `x${j}`,
        (current) => {
          const z = normal();
          const x = skew
            ? Math.exp(z / 2) * (current ? 1.15 : 1)
            : z * (current ? scale : 1) + j + (current ? shift : 0);
          return x.toFixed(6);
        },
      ];
    }),
  ),
  visits: (current) => String(Math.min(9, Math.floor(-Math.log(uniform()) * (current ? 1.4 : 1.2)))),
  rating: () => String(1 + Math.floor(uniform() * 5)),
  color: (current) => pick(COLORS, current ? [0.3, 0.2, 0.2, 0.15, 0.15] : [0.2, 0.2, 0.2, 0.2, 0.2]),
  plan: () => pick(PLANS, [0.5, 0.3, 0.15, 0.05]),
  region: () => REGIONS[Math.floor(uniform() * REGIONS.length)],
  channel: (current) => pick(['web', 'app', 'store'], current ? [0.3, 0.6, 0.1] : [0.5, 0.4, 0.1]),
};

async function write(path, rows, current) {
  const stream = createWriteStream(path);
  const makers = Object.values(COLUMNS);
  let chunk = `${Object.keys(COLUMNS).join(',')}\n`;
  for (let i = 0; i < rows; i++) {
    chunk += `${makers.map((make) => make(current)).join(',')}\n`;
    if (chunk.length > 1 << 20) {
      if (!stream.write(chunk)) await once(stream, 'drain');
      chunk = '';
    }
  }
  stream.end(chunk);
  await once(stream, 'finish');
}

mkdirSync(out, { recursive: true });
await write(join(out, 'reference.csv'), Number(rowsText), false);
await write(join(out, 'current.csv'), Number(rowsText), true);
console.log(`wrote ${join(out, 'reference.csv')} and current.csv (${rowsText} rows each, 20 columns)`);
