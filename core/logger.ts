/**
 * Core code logs through this interface so one function serves the Actions log, the CLI and the
 * app's pino logger alike. Core never writes to the console directly.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const noop = () => {};

export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/** Collects messages, for tests that assert on what was logged. */
export function memoryLogger(): Logger & { lines: Array<{ level: keyof Logger; message: string }> } {
  const lines: Array<{ level: keyof Logger; message: string }> = [];
  const at = (level: keyof Logger) => (message: string) => void lines.push({ level, message });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * Text for a log the GitHub Actions runner reads (the actions' `core.info`, the CLI's stdout and
 * stderr), with no line that the runner would take for a workflow command: it runs `::name::` at the
 * start of a line (after any spaces) and the legacy `##[name]` anywhere in one, `stop-commands` and
 * `add-mask` included. A zero-width space after the first colon, or after `##`, breaks the command
 * and reads the same. `core.warning`, `core.error` and `core.debug` need none of this: @actions/core
 * escapes line breaks in their message, so it stays on the command's own line.
 */
export function withoutWorkflowCommands(text: string): string {
  return text.replace(/^([^\S\r\n]*):(?=:)/gm, '$1:\u200B').replace(/##\[/g, '##\u200B[');
}
