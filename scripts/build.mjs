#!/usr/bin/env node
// `npm run build`: dist/ from rolldown.config.js through rolldown's API, silent unless something is
// wrong. rolldown's CLI lists every asset it wrote on each build, and no option of it turns that off.
import { build } from 'rolldown';
import config from '../rolldown.config.js';

try {
  await build(config);
} catch (error) {
  // rolldown's message already holds every diagnostic with its code frame; its stack is rolldown's.
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
