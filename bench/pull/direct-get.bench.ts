/**
 * bench/pull/direct-get: what core/store/internal/s3-direct-get.ts buys a pull. The same in-process
 * `pullPointerFile` against one s3rver, once with the direct GET path (the default) and once with
 * every GET sent as the SDK's GetObjectCommand (`directGet: false`), on bench/pull's scenarios:
 * (a) many 50 KB files, (b) one large file. No cache on either side, so each run downloads everything.
 *
 *   npx tsx bench/pull/direct-get.bench.ts [--files N] [--large-mib N] [--runs N]
 *
 * Prints a markdown table and rewrites the `direct-get` section of bench/RESULTS.md.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { silentLogger } from '../../core/logger.ts';
import { openStore, pullPointerFile } from '../../core/store/index.ts';
import { startS3Server } from '../../test/support/s3-server.ts';
import { median, replaceSection } from '../measure.ts';
import { pushForBench, writeRandomFile, writeRandomFolder } from './make-data.ts';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '2000' },
    'large-mib': { type: 'string', default: '1024' },
    runs: { type: 'string', default: '3' },
  },
});
const FILES = Number(values.files);
const FILE_BYTES = 50_000;
const LARGE_BYTES = Number(values['large-mib']) * (1 << 20);
const RUNS = Number(values.runs);
const DATA = 'bench/.data/direct-get';
const BUCKET = 'cairn-bench';

type Way = 'direct' | 'sdk';
interface Sample {
  wallSeconds: number;
  cpuSeconds: number;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
rmSync(DATA, { recursive: true, force: true });
mkdirSync(DATA, { recursive: true });
const server = await startS3Server({ bucket: BUCKET });
// Both ways on default settings, whatever ~/.aws holds.
const env: NodeJS.ProcessEnv = {
  ...server.env,
  AWS_CONFIG_FILE: resolve(DATA, 'none'),
  AWS_SHARED_CREDENTIALS_FILE: resolve(DATA, 'none'),
  AWS_EC2_METADATA_DISABLED: 'true',
};
const rows: string[] = [];
try {
  const folder = join(DATA, 'source', 'data');
  await writeRandomFolder(folder, FILES, FILE_BYTES);
  const small = await pushForBench(folder, `s3://${BUCKET}/small`, env);
  const file = join(DATA, 'source', 'model.bin');
  await writeRandomFile(file, LARGE_BYTES);
  const large = await pushForBench(file, `s3://${BUCKET}/large`, env);
  rmSync(folder, { recursive: true });
  rmSync(file);

  for (const [name, pointer, remote, count] of [
    [`(a) ${FILES.toLocaleString('en')} files x 50 KB`, small, `s3://${BUCKET}/small`, FILES],
    [`(b) one ${LARGE_BYTES / (1 << 20)} MiB file`, large, `s3://${BUCKET}/large`, 1],
  ] as const) {
    const samples: Record<Way, Sample[]> = { direct: [], sdk: [] };
    for (let run = 0; run < RUNS; run++) {
      // Alternates who goes first, so neither always meets the other's page cache or writeback.
      for (const way of (run % 2 === 0 ? ['direct', 'sdk'] : ['sdk', 'direct']) as Way[])
        samples[way].push(await pullOnce(pointer, remote, way, count, run));
    }
    const wall = (way: Way) => median(samples[way].map((s) => s.wallSeconds));
    const cpu = (way: Way) => median(samples[way].map((s) => s.cpuSeconds));
    rows.push(
      `| ${name} | ${wall('direct').toFixed(2)} | ${wall('sdk').toFixed(2)} | ${(wall('direct') / wall('sdk')).toFixed(2)}x | ${cpu('direct').toFixed(2)} / ${cpu('sdk').toFixed(2)} |`,
    );
  }
} finally {
  await server.close();
  rmSync(DATA, { recursive: true, force: true });
}

async function pullOnce(pointerPath: string, remote: string, way: Way, files: number, run: number): Promise<Sample> {
  const dir = join(DATA, 'runs', `${way}-${basename(pointerPath)}-${run}`);
  mkdirSync(dir, { recursive: true });
  const pointer = join(dir, basename(pointerPath));
  copyFileSync(pointerPath, pointer);
  const store = openStore(remote, { env, logger: silentLogger, directGet: way === 'direct' });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  try {
    const result = await pullPointerFile(pointer, { store, logger: silentLogger });
    if (result.downloaded.files !== files)
      throw new Error(`${way}: expected ${files} files downloaded, got ${JSON.stringify(result)}`);
  } finally {
    store.close();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  rmSync(dir, { recursive: true });
  return { wallSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

const markdown = [
  `### bench/pull/direct-get — core/store/internal/s3-direct-get.ts vs the SDK's GetObjectCommand, median of ${RUNS} runs`,
  '',
  '| scenario | direct GET s | GetObjectCommand s | direct / SDK | pulling process CPU s, direct / SDK |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...rows,
  '',
  "Both pull the same `.dvc` pointer in this process with `pullPointerFile` (default jobs, no cache) from one s3rver on 127.0.0.1 (its own Node process on the same cores); the only difference is the store's `directGet` option. CPU is the pulling process's (user + system), which is what the direct path saves; s3rver's is not counted.",
  '',
  `Command: \`npx tsx bench/pull/direct-get.bench.ts --files ${FILES} --large-mib ${LARGE_BYTES / (1 << 20)}\`.`,
  '',
  `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version} (${new Date().toISOString().slice(0, 10)}).`,
].join('\n');
console.log(markdown);
writeFileSync('bench/RESULTS.md', replaceSection(readFileSync('bench/RESULTS.md', 'utf8'), 'direct-get', markdown));
