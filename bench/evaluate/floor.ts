// The floor for bench/evaluate: onnxruntime-node's run() over batches parsed beforehand, so only
// inference is timed. Prints JSON: {inference_seconds, rows}.
// Usage: tsx bench/evaluate/floor.ts MODEL.onnx DATA.csv [BATCH]
import { readFileSync } from 'node:fs';
import { InferenceSession, Tensor } from 'onnxruntime-node';

const [modelPath, dataPath, batchText = '4096'] = process.argv.slice(2);
const batch = Number(batchText);
const lines = readFileSync(dataPath, 'utf8').split('\n').slice(1).filter(Boolean);
const width = lines[0].split(',').length - 1;
const features = new Float32Array(lines.length * width);
lines.forEach((line, i) =>
  line
    .split(',')
    .slice(0, width)
    .forEach((cell, j) => (features[i * width + j] = Number(cell))),
);

const session = await InferenceSession.create(modelPath, { executionProviders: ['cpu'] });
const input = session.inputNames[0];
const started = performance.now();
for (let row = 0; row < lines.length; row += batch) {
  const n = Math.min(batch, lines.length - row);
  await session.run({ [input]: new Tensor('float32', features.subarray(row * width, (row + n) * width), [n, width]) });
}
console.log(JSON.stringify({ inference_seconds: (performance.now() - started) / 1000, rows: lines.length }));
