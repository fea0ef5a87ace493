import { appendFile } from 'node:fs/promises';
import * as core from '@actions/core';

/** GitHub rejects a step summary over 1 MiB; the renderers budget for less, this is the last guard. */
const SUMMARY_LIMIT = 1024 * 1024;

/**
 * Appends markdown to the job summary. Reads GITHUB_STEP_SUMMARY on every call (core.summary caches
 * the path on first use), and does nothing outside a runner.
 */
export async function appendJobSummary(markdown: string): Promise<void> {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (!path) return;
  if (Buffer.byteLength(markdown) > SUMMARY_LIMIT) {
    core.warning('the job summary exceeds 1 MiB and was not written; the metrics JSON holds the full result.');
    return;
  }
  await appendFile(path, `${markdown}\n`);
}
