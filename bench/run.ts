// npm run bench [-- --rows N]: runs every benchmark against its named peer in the same run, prints
// the tables and rewrites their sections of bench/RESULTS.md. Needs Debian's python3-pandas,
// python3-sklearn, python3-onnx and time (apt-get install -y python3-pandas python3-sklearn python3-onnx time).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { benchEvaluate } from './evaluate/evaluate.bench.ts';
import { replaceSection } from './measure.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, only: { type: 'string' } } });
const header = `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}. Command: \`npm run bench\` (${new Date().toISOString().slice(0, 10)}).`;
let results = existsSync('bench/RESULTS.md') ? readFileSync('bench/RESULTS.md', 'utf8') : '# Benchmark results\n\nEach section is rewritten by `npm run bench`; ratios compare Cairn with a named peer measured in the same run.\n';
let failed = false;

if (!values.only || values.only === 'evaluate') {
  const result = await benchEvaluate(Number(values.rows));
  console.log(result.markdown);
  results = replaceSection(results, 'evaluate', `${result.markdown}\n\n${header}`);
  failed ||= !result.ok;
}

writeFileSync('bench/RESULTS.md', results);
console.log('\nwrote bench/RESULTS.md');
if (failed) process.exitCode = 1;
