// One bundler config, one input map: name -> entry, output dist/<name>.js.
import { defineConfig } from 'rolldown';

const input = {
  cli: 'cli/main.ts',
  setup: 'actions/setup/main.ts',
  evaluate: 'actions/evaluate/main.ts',
  report: 'actions/report/main.ts',
  registry: 'actions/registry/main.ts',
  'data-pull': 'actions/data-pull/main.ts',
  deploy: 'actions/deploy/main.ts',
  train: 'actions/train/main.ts',
  drift: 'actions/drift/main.ts',
  propose: 'actions/propose/main.ts',
  app: 'app/server.ts',
  lambda: 'app/lambda.ts',
};

/**
 * bottleneck (under @octokit/plugin-throttling) reaches its optional Redis clients through
 * `eval("require")`, on purpose, so bundlers leave them alone; we never load them. Every other
 * warning, its own other warnings included, still prints.
 */
function onLog(level, log, handler) {
  if (log.code === 'EVAL' && /[\\/]node_modules[\\/]bottleneck[\\/]/.test(log.id ?? '')) return;
  handler(level, log);
}

export default defineConfig({
  input,
  platform: 'node',
  onLog,
  // Native addon: resolved from node_modules at run time, never bundled.
  external: ['onnxruntime-node'],
  output: {
    dir: 'dist',
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
    sourcemap: true,
    cleanDir: true, // no chunks of an earlier build left beside the new ones
  },
});
