import { runAction } from '../shared/action-logger.ts';
import { run } from './run.ts';

// The AWS SDK's warning that its future releases need Node 22 is noise in a job log. It reads this
// variable when it constructs a client, not at import, so this line (after the hoisted imports) is
// in time. A workflow's own value wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

await runAction(run);
