/**
 * The app's own identity (`GET /app`, once per process): its id, to trust only the check runs it
 * wrote itself, and its bot's login (`<slug>[bot]`), which GitHub names as the sender of the tags
 * it creates and the actor of the runs it dispatches, and the author by which the comments and the
 * registry issue it updates are found.
 */
import { botLogin } from '../core/github/index.ts';
import type { AppIdentity, HandlerContext } from './runtime.ts';

export function appIdentity(ctx: HandlerContext): Promise<AppIdentity> {
  const { runtime } = ctx;
  runtime.identity ??= (async () => {
    const client = await ctx.appClient();
    const { data } = await client.rest.apps.getAuthenticated();
    if (!data?.slug) throw new Error('GET /app answered without the app slug');
    return { id: data.id, slug: data.slug, botLogin: botLogin(data.slug) };
  })().catch((error: unknown) => {
    runtime.identity = undefined; // the next event asks again
    throw error;
  });
  return runtime.identity;
}
