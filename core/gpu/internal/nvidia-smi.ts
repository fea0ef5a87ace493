/**
 * Runs nvidia-smi once, bounded in time and in output, and says in words why it failed. nvidia-smi
 * prints its errors on stdout (not stderr) and exits non-zero: 9 when it cannot reach the driver,
 * 2 for an invalid argument such as a field this driver does not know.
 */
import { execFile } from 'node:child_process';

/** Larger than any real answer (`-q` for eight GPUs is ~60 KiB); a runaway fake or wrapper stops here. */
export const MAX_OUTPUT_BYTES = 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 10_000;

export type SmiResult =
  | { ok: true; stdout: string }
  | { ok: false; missing: boolean; exitCode: number | null; message: string; output: string };

export interface SmiOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** `-i <ids>` when CUDA_VISIBLE_DEVICES hides some GPUs; appended to every call. */
  only?: readonly string[];
  /** Aborting it kills nvidia-smi: a caller that stops waiting must not be kept alive by a hung one. */
  signal?: AbortSignal;
}

export function runNvidiaSmi(args: readonly string[], options: SmiOptions = {}): Promise<SmiResult> {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve) => {
    execFile(
      'nvidia-smi',
      [...args, ...(options.only ?? [])],
      // With env given, the spawn looks nvidia-smi up on that env's PATH (tests put a fake first).
      {
        env: options.env,
        timeout,
        killSignal: 'SIGKILL',
        maxBuffer: MAX_OUTPUT_BYTES,
        encoding: 'utf8',
        signal: options.signal,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, stdout });
        const output = `${stdout}\n${stderr}`.trim();
        const failure = error as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
        if (failure.code === 'ENOENT') {
          return resolve({ ok: false, missing: true, exitCode: null, message: 'nvidia-smi is not on PATH', output });
        }
        if (failure.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return resolve({
            ok: false,
            missing: false,
            exitCode: null,
            message: `nvidia-smi printed more than ${MAX_OUTPUT_BYTES >> 20} MiB`,
            output: '',
          });
        }
        if (failure.killed) {
          return resolve({
            ok: false,
            missing: false,
            exitCode: null,
            message: `nvidia-smi did not answer within ${timeout} ms`,
            output,
          });
        }
        const exitCode = typeof failure.code === 'number' ? failure.code : null;
        const said = firstLine(output);
        const message = `nvidia-smi failed${exitCode === null ? '' : ` (exit ${exitCode})`}${said ? `: ${said}` : ''}`;
        resolve({ ok: false, missing: false, exitCode, message, output });
      },
    );
  });
}

/** The driver's own words, e.g. "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. ..." */
function firstLine(output: string): string {
  const line = output.split('\n').find((candidate) => candidate.trim() !== '') ?? '';
  return line.trim().slice(0, 300);
}

/** `Field "compute_cap" is not a valid field to query.`; older drivers may word it as an unknown field. */
export function rejectsField(result: SmiResult, field: string): boolean {
  if (result.ok) return false;
  const text = result.output.toLowerCase();
  return text.includes(field) && (text.includes('not a valid field') || text.includes('unknown field'));
}
