/**
 * `npm run app` as a user first starts it: only the variables app/README.md names, no LOG_LEVEL or
 * LOG_FORMAT. Probot's createProbot defaults to warn, which once left the terminal silent; the
 * server now says where it listens, in Probot's pretty format.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppProcess } from './support/app-process.ts';

test('npm run app without LOG_LEVEL prints one info line with the address it binds', { timeout: 60_000 }, async () => {
  // GitHub is never called at start-up: an address nothing listens on will do.
  const app = await startAppProcess({ gheHost: '127.0.0.1:9', env: { LOG_LEVEL: undefined, LOG_FORMAT: undefined } });
  try {
    const lines = app
      .output()
      .split('\n')
      .filter((line) => line.includes('listening on'));
    assert.equal(lines.length, 1, app.output());
    assert.match(
      lines[0],
      /^INFO \(probot\): Cairn app listening on http:\/\/127\.0\.0\.1:\d+ \(webhooks at \/api\/github\/webhooks, health at \/healthz\)$/,
    );
    assert.equal(app.url, lines[0].match(/http:\/\/127\.0\.0\.1:\d+/)?.[0]);
  } finally {
    await app.stop();
  }
});
