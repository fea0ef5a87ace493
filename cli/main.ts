import { applyOnnxruntimeDefaults } from '../core/onnxruntime-environment.ts';
import { processIO } from './io.ts';
import { main } from './run.ts';

// The AWS SDK warns on every run under Node < 22 that its future releases will need Node 22: noise
// to a CLI user on Node 20, our supported minimum. The SDK reads this variable when it constructs a
// client (never at import), so setting it here, after the hoisted imports, is still in time; the
// pull/push tests run on Node 20 and assert stderr has no NodeVersionSupportWarning. A user's own
// value wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Before the first onnxruntime session: without it a command line over ~29 KB segfaults there.
applyOnnxruntimeDefaults(process.env);

process.exitCode = await main(process.argv.slice(2), processIO());
