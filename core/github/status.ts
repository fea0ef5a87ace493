/** The HTTP status of an Octokit RequestError (or anything carrying `status`); undefined otherwise. */
export function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null ? (error as { status?: number }).status : undefined;
}
