// npm run bench [-- --only evaluate|pull|app|train|drift] [--rows N] [--files N] [--large-mib N] [--jobs N]
// [--rounds N] [--installations N]: runs
// every benchmark against its named peer in the same run, prints the tables and rewrites their
// sections of bench/RESULTS.md. Needs Debian's python3-pandas, python3-scipy, python3-sklearn, python3-onnx and time
// (apt-get install -y python3-pandas python3-scipy python3-sklearn python3-onnx time), and the AWS CLI for pull.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { benchApp } from './app/app.bench.ts';
import { benchDrift } from './drift/drift.bench.ts';
import { benchEvaluate } from './evaluate/evaluate.bench.ts';
import { benchPull } from './pull/pull.bench.ts';
import { benchTrain } from './train/train.bench.ts';
import { replaceSection } from './measure.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    rows: { type: 'string', default: '1000000' },
    files: { type: 'string', default: '2000' },
    'large-mib': { type: 'string', default: '1024' },
    jobs: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    installations: { type: 'string', default: '20' },
  },
});
const header = `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}. Command: \`npm run bench\` (${new Date().toISOString().slice(0, 10)}).`;
let results = existsSync('bench/RESULTS.md')
  ? readFileSync('bench/RESULTS.md', 'utf8')
  : '# Benchmark results\n\nEach section is rewritten by `npm run bench`; ratios compare Cairn with a named peer measured in the same run.\n';
let failed = false;

if (!values.only || values.only === 'evaluate') {
  const result = await benchEvaluate(Number(values.rows));
  console.log(result.markdown);
  results = replaceSection(results, 'evaluate', `${result.markdown}\n\n${header}`);
  failed ||= !result.ok;
}

if (!values.only || values.only === 'pull') {
  const result = await benchPull({
    files: Number(values.files),
    fileBytes: 50_000,
    largeBytes: Number(values['large-mib']) * (1 << 20),
    jobs: values.jobs === undefined ? undefined : Number(values.jobs),
  });
  console.log(result.markdown);
  results = replaceSection(results, 'pull', `${result.markdown}\n\n${header}`);
  failed ||= !result.ok;
}

if (!values.only || values.only === 'app') {
  const result = await benchApp({ rounds: Number(values.rounds), installations: Number(values.installations) });
  console.log(result.markdown);
  results = replaceSection(results, 'app', `${result.markdown}\n\n${header}`);
  failed ||= !result.ok;
}

if (!values.only || values.only === 'train') {
  const result = await benchTrain({ rounds: 21, sleepS: 10 });
  console.log(result.markdown);
  results = replaceSection(results, 'train', `${result.markdown}\n\n${header}`);
  failed ||= !result.ok;
}

if (!values.only || values.only === 'drift') {
  const result = await benchDrift(Number(values.rows));
  console.log(result.markdown);
  results = replaceSection(results, 'drift', `${result.markdown}\n\n${header}`);
  failed ||= !result.ok;
}

writeFileSync('bench/RESULTS.md', results);
console.log('\nwrote bench/RESULTS.md');
if (failed) process.exitCode = 1;
