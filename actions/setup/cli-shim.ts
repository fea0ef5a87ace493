import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** POSIX shell single-quoting: safe for any path, spaces and quotes included. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Writes `cairn` (sh) and `cairn.cmd` (Windows) into `binDir`, each exec'ing `node <cliPath>`.
 *
 * The shims name the Node binary that runs this action (the runner's own node24) rather than `node` on
 * PATH: a self-hosted GPU runner may have no Node, or one older than Cairn supports, on its PATH.
 */
export async function writeCliShims(
  binDir: string,
  nodePath: string,
  cliPath: string,
): Promise<{ posix: string; windows: string }> {
  const posix = join(binDir, 'cairn');
  const windows = join(binDir, 'cairn.cmd');
  await writeFile(
    posix,
    `#!/bin/sh\n# Written by cairn-ml/cairn (setup).\nexec ${shellQuote(nodePath)} ${shellQuote(cliPath)} "$@"\n`,
  );
  await chmod(posix, 0o755);
  // cmd.exe expands %VAR% even inside quotes; doubling % keeps a literal percent sign in a path.
  const cmdQuote = (value: string) => `"${value.replaceAll('%', '%%')}"`;
  await writeFile(
    windows,
    `@echo off\r\nREM Written by cairn-ml/cairn (setup).\r\n${cmdQuote(nodePath)} ${cmdQuote(cliPath)} %*\r\n`,
  );
  return { posix, windows };
}
