import { runAction } from '../shared/action-logger.ts';
import { run } from './run.ts';

await runAction(run);
