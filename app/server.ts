/**
 * `npm run app` / `node dist/app.js`: the app as its own process. Configuration is the environment
 * (see app-env.ts); GHE_HOST and GHE_PROTOCOL point it at GitHub Enterprise Server or a fake.
 */
import { isUserError } from '../core/errors.ts';
import { startAppServer } from './http-server.ts';

try {
  const app = await startAppServer({ env: process.env });
  app.probot.log.info(
    `Cairn app listening on ${app.url} (webhooks at ${process.env.WEBHOOK_PATH || '/api/github/webhooks'}, health at /healthz)`,
  );
  const stop = (signal: string) => {
    app.probot.log.info(`${signal}: closing the server`);
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
} catch (error) {
  if (!isUserError(error)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
}
