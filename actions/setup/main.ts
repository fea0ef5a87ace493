import { fileURLToPath } from 'node:url';
import { runAction } from '../shared/action-logger.ts';
import { run } from './run.ts';

// This file is bundled to dist/setup.js; the CLI it puts on PATH is its sibling dist/cli.js.
await runAction(async () => void (await run({ cliPath: fileURLToPath(new URL('./cli.js', import.meta.url)) })));
