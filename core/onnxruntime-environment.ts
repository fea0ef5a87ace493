/**
 * Settings onnxruntime reads from the environment when its first session starts. The front doors
 * that run sessions (the CLI, the evaluate action) apply them before any; core never touches
 * process.env itself.
 *
 * ORT_DISABLE_TELEMETRY=1 is onnxruntime's opt-out of the telemetry its Linux and macOS builds
 * carry since 1.2x. Besides not sending it from users' machines and CI runners, the opt-out skips a
 * crash: telemetry start-up matches a std::regex against the whole of /proc/self/cmdline, and
 * libstdc++'s regex recurses once per character, so a command line over about 29 KB (`--features`
 * with 2,000 names) overflows the stack: exit 139, no message. See
 * docs/upstream/onnxruntime-node-long-command-line.md. A value the user set is kept.
 */
export function applyOnnxruntimeDefaults(env: NodeJS.ProcessEnv): void {
  if (!env.ORT_DISABLE_TELEMETRY) env.ORT_DISABLE_TELEMETRY = '1';
}
