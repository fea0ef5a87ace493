/**
 * The app's own login, `<slug>[bot]`: what its installation tokens write as. The slug comes from
 * `GET /app` (with the app's JWT) once per process; a failed lookup is asked again next time.
 * The comments and the registry issue the app updates are found by marker and by this author.
 */
import type { Probot } from 'probot';
import { botLogin } from '../core/github/identity.ts';

export function appLoginOf(app: Probot): () => Promise<string> {
  let login: Promise<string> | undefined;
  return () => {
    login ??= (async () => {
      const octokit = await app.auth(); // no installation id: authenticated as the app itself
      const { data } = await octokit.rest.apps.getAuthenticated();
      if (!data?.slug) throw new Error('GET /app answered without the app slug');
      return botLogin(data.slug);
    })().catch((error: unknown) => {
      login = undefined;
      throw error;
    });
    return login;
  };
}
