import { runAction } from '../shared/action-logger.ts';
import { run } from './run.ts';

// The runner cancels a step with SIGINT to this process alone, then SIGTERM 7.5 s later: either one
// stops the command's whole process group (it runs in its own, so it never got the signal itself).
const cancel = new AbortController();
const onSignal = (signal: NodeJS.Signals) => cancel.abort(signal);
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
await runAction(() => run(cancel.signal));
