#!/usr/bin/env node
// Writes the evaluation benchmark's data: N rows x 8 full-precision float features + a 0/1 target
// (about 160 MB for 1M rows, like the issue's reference file), and a 20k-row training file.
//   node bench/evaluate/make-data.mjs OUT_DIR [ROWS]
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';

const [out = 'bench/.data', rowsText = '1000000'] = process.argv.slice(2);
const WEIGHTS = [1.2, -0.8, 0.5, 0.0, 2.0, -1.5, 0.3, 0.7];
let state = 12345;
const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());

async function write(path, rows) {
  const stream = createWriteStream(path);
  const header = `${WEIGHTS.map((_, j) => `f${j}`).join(',')},y\n`;
  stream.write(header);
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    let z = -0.2;
    const cells = WEIGHTS.map((w) => {
      const x = normal();
      z += w * x;
      return x;
    });
    const y = uniform() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    chunk += `${cells.join(',')},${y}\n`;
    if (chunk.length > 1 << 20) {
      if (!stream.write(chunk)) await once(stream, 'drain');
      chunk = '';
    }
  }
  stream.end(chunk);
  await once(stream, 'finish');
}

mkdirSync(out, { recursive: true });
await write(join(out, 'train.csv'), 20_000);
await write(join(out, 'eval.csv'), Number(rowsText));
console.log(`wrote ${join(out, 'eval.csv')} (${rowsText} rows) and train.csv`);
