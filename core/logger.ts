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
