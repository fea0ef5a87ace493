import { arch, hostname, platform } from 'node:os';

export interface RunnerIdentity {
  name: string;
  os: string;
  arch: string;
  /** The labels `cairn runner` registered the machine with (it exports CAIRN_RUNNER_LABELS to its jobs); null otherwise. */
  labels: string[] | null;
}

const OS_NAMES: Record<string, string> = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' };
const ARCH_NAMES: Record<string, string> = { x64: 'X64', arm64: 'ARM64', arm: 'ARM', ia32: 'X86' };

/**
 * The machine the run is on, spelled as the Actions runner spells it (RUNNER_OS `Linux`, RUNNER_ARCH
 * `X64`): the runner's own variables inside a job, this host's otherwise.
 */
export function runnerIdentity(env: NodeJS.ProcessEnv): RunnerIdentity {
  const labels = env.CAIRN_RUNNER_LABELS?.split(',')
    .map((label) => label.trim())
    .filter((label) => label !== '');
  return {
    name: env.RUNNER_NAME || hostname(),
    os: env.RUNNER_OS || (OS_NAMES[platform()] ?? platform()),
    arch: env.RUNNER_ARCH || (ARCH_NAMES[arch()] ?? arch()),
    labels: labels && labels.length > 0 ? labels : null,
  };
}
