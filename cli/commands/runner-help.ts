/** `cairn runner --help`, `cairn runner start --help` and `cairn runner install --help`. */

export const runnerHelp = `Usage: cairn runner <command> [options]

This machine as GitHub Actions self-hosted runners: ephemeral, just-in-time registered, labelled
from its GPUs (see runner/README.md).

Commands:
  start       register and run runners until stopped (one job per registration)
  install     download and verify the official actions runner

Run \`cairn runner <command> --help\` for one command's options.
`;

export const runnerStartHelp = `Usage: cairn runner start (--repo OWNER/NAME | --org ORG) --runner-dir DIR [options]

Registers this machine as an ephemeral self-hosted runner through a just-in-time configuration
(never a registration token), runs one job, and registers afresh, until stopped. Labels: the GPU
probe's (gpu, gpu-<model>, cuda-<major>, gpus-<count>), self-hosted, the OS and the architecture
(Linux, X64), and --labels. Jobs get CAIRN_RUNNER_LABELS, and never cairn's own credentials.

SIGTERM or Ctrl+C drains: a running job finishes, idle runners are deregistered, then it exits.
A second SIGTERM stops now: running jobs are cancelled and their runners deregistered.

Credentials: --token-file, else GITHUB_TOKEN (or GH_TOKEN), else the Cairn app's APP_ID with
PRIVATE_KEY or PRIVATE_KEY_PATH. They need repository "Administration" write (--repo), or
organisation "Self-hosted runners" write (--org). HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured;
GITHUB_API_URL for GitHub Enterprise Server.

Options:
  --repo OWNER/NAME     register runners for this repository
  --org ORG             register runners for this organisation
  --runner-dir DIR      an unpacked actions runner (\`cairn runner install --dir DIR\`)
  --labels L            more labels, comma-separated (repeatable)
  --per-gpu             one runner per GPU, each seeing only its GPU (CUDA_VISIBLE_DEVICES=<its UUID>),
                        labelled gpus-1 and its model, in its own copy of DIR (DIR.gpu<N>)
  --idle-timeout S      after S seconds without a job, deregister and stop (a busy runner never stops)
  --name NAME           runner names' stem (default the host name); each registration adds a suffix
  --runner-group NAME   the organisation's runner group (default its default group)
  --token-file PATH     read the token from PATH
  -q, --quiet           print only warnings and errors
  -v, --verbose         print debug messages too
`;

export const runnerInstallHelp = `Usage: cairn runner install --dir DIR [--version V] [--sha256 HEX]

Downloads the official actions runner (github.com/actions/runner) for this platform into DIR and
checks its SHA-256 against the digest GitHub publishes for the release asset, or against --sha256.
Without a digest to check it refuses (exit 2). HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured.

Options:
  --dir DIR        where to unpack it (created; must hold no runner yet)
  --version V      the release, e.g. 2.321.0 (default the latest)
  --sha256 HEX     the tarball's expected SHA-256, e.g. from the release notes
  -q, --quiet      print only warnings and errors
`;
