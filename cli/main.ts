import { processIO } from './io.ts';
import { LONG_COMMAND_LINE_BYTES, commandLineBytes, relaunchWithShortCommandLine, relayedArguments } from './long-command-line.ts';
import { main } from './run.ts';

// The AWS SDK warns on every run under Node < 22 that its future releases will need Node 22: noise
// to a CLI user on Node 20, our supported minimum. The SDK reads this variable when it constructs a
// client (never at import), so setting it here, after the hoisted imports, is still in time; the
// pull/push tests run on Node 20 and assert stderr has no NodeVersionSupportWarning. A user's own
// value wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// onnxruntime-node crashes in a process whose command line is long: such a line runs in a child with a short one.
const relayed = relayedArguments(process.env);
const args = relayed ?? process.argv.slice(2);
const long = !relayed && commandLineBytes([...process.execArgv, ...process.argv]) > LONG_COMMAND_LINE_BYTES;
process.exitCode = long ? await relaunchWithShortCommandLine(args) : await main(args, processIO());
