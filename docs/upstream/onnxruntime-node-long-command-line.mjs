// Reproduces onnxruntime-node segfaulting on Linux when the process's command line is long.
// Run from a folder where onnxruntime-node is installed:  node onnxruntime-node-long-command-line.mjs
// Each child creates a session from an empty buffer, which should reject ("Model data pointer is
// null"); the only difference between children is one padding argument that nobody reads.
import { spawnSync } from 'node:child_process';

// One line on purpose: the crash needs ~29 KB of command line before its first newline.
const child =
  "require('onnxruntime-node').InferenceSession.create(new Uint8Array(0)).then(() => console.log('created'), (error) => console.log('rejected: ' + error.message))";

console.log(
  `node ${process.version}, onnxruntime-node ${JSON.parse(spawnSync(process.execPath, ['-p', "JSON.stringify(require('onnxruntime-node/package.json').version)"], { encoding: 'utf8' }).stdout)}`,
);
for (const telemetry of ['default', 'ORT_DISABLE_TELEMETRY=1']) {
  for (const bytes of [1_000, 20_000, 28_000, 30_000, 60_000]) {
    const env = { ...process.env };
    delete env.ORT_DISABLE_TELEMETRY;
    if (telemetry !== 'default') env.ORT_DISABLE_TELEMETRY = '1';
    const run = spawnSync(process.execPath, ['-e', child, 'x'.repeat(bytes)], { env, encoding: 'utf8' });
    const outcome = run.signal ? `killed by ${run.signal}` : `exit ${run.status}: ${run.stdout.trim()}`;
    console.log(`${telemetry.padEnd(24)} padding ${String(bytes).padStart(6)} bytes -> ${outcome}`);
  }
}
