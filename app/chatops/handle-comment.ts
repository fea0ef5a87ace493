/**
 * `issue_comment.created` on issues and pull requests: comments with a `/cairn` line are
 * acknowledged (👀), carried out or refused, answered with a reply, and marked 👍, 👎 or 😕; a
 * question (`show`, `help`) changes nothing, and its reply is its whole answer. The
 * reply holds a hidden marker with the comment id; a redelivered comment finds it and stops.
 * GitHub answers the 👀 with 201 when it adds it and 200 when the app had added it already, so only
 * a comment the app has seen before is searched for a reply (reading a long thread's comments was
 * the largest part of a `/cairn show`). One gap: if an earlier delivery could not add the 👀 but
 * did reply, a redelivery that can add it replies again; the tags are not repeated, because a
 * command finds what it did for the comment by the request line in the tag's message.
 */
import { isUserError } from '../../core/errors.ts';
import { findStickyComment, withMarker } from '../../core/github/index.ts';
import { inertLines } from '../../core/report/index.ts';
import type { IssueCommentPayload } from '../payloads.ts';
import { appIdentity } from '../app-identity.ts';
import type { HandlerContext } from '../runtime.ts';
import { CommandSyntaxError, parseCommand, USAGE, type ChatCommand } from './command.ts';
import type { CommandResult } from './request.ts';
import { runCommand } from './run-command.ts';

type Reaction = 'eyes' | '+1' | '-1' | 'confused';

export function replyMarker(commentId: number): string {
  return `<!-- cairn:reply:${commentId} -->`;
}

/** Whether GitHub added the reaction now (`added`), had it from the app already (`existed`), or failed. */
async function react(
  ctx: HandlerContext,
  commentId: number,
  content: Reaction,
): Promise<'added' | 'existed' | 'failed'> {
  try {
    const { status } = await ctx.octokit.rest.reactions.createForIssueComment({
      owner: ctx.target.owner,
      repo: ctx.target.repo,
      comment_id: commentId,
      content,
    });
    return status === 201 ? 'added' : 'existed';
  } catch (error) {
    // A reaction is a courtesy; the reply carries the result.
    ctx.logger.warn(`could not react ${content} to comment ${commentId}: ${(error as Error).message}`);
    return 'failed';
  }
}

export async function onIssueComment(payload: IssueCommentPayload, ctx: HandlerContext): Promise<void> {
  if (payload.action !== 'created') return;
  // Bots (this app included) never drive the registry.
  if (payload.sender.type === 'Bot' || payload.comment.user.type === 'Bot') return;
  let command: ChatCommand | undefined;
  let syntaxError: CommandSyntaxError | undefined;
  try {
    command = parseCommand(payload.comment.body);
  } catch (error) {
    if (!isUserError(error)) throw error;
    syntaxError = error instanceof CommandSyntaxError ? error : new CommandSyntaxError(error.message);
  }
  if (!command && !syntaxError) return; // not addressed to Cairn: no API call at all

  const { octokit, target } = ctx;
  const commentId = payload.comment.id;
  const issueNumber = payload.issue.number;
  const marker = replyMarker(commentId);
  await ctx.runtime.guard.exclusive(`comment:${target.fullName}:${commentId}`, async () => {
    // A 👀 added now means no delivery of this comment got as far as replying; otherwise look.
    const acknowledged = await react(ctx, commentId, 'eyes');
    // Only our own reply counts: a marker pasted by someone else must not silence the command.
    if (
      acknowledged !== 'added' &&
      (await findStickyComment(octokit, {
        owner: target.owner,
        repo: target.repo,
        issueNumber,
        marker,
        author: (await appIdentity(ctx)).botLogin,
      }))
    ) {
      ctx.logger.info(`comment ${commentId} was answered already; skipping`);
      return;
    }
    let result: CommandResult | 'confused';
    let body: string;
    if (syntaxError || !command) {
      result = 'confused';
      // The message echoes what the commenter wrote: inert, so it cannot ping a team or post a link as the app.
      body = `😕 I could not read that command: ${inertLines(syntaxError?.message ?? 'unknown')}.\n\n${USAGE}`;
    } else {
      try {
        result = await runCommand(ctx, {
          command,
          commenter: payload.comment.user.login,
          issueNumber,
          commentId,
          commentUrl: payload.comment.html_url,
        });
        body = result.body;
      } catch (error) {
        if (!isUserError(error)) {
          // No reply, so a redelivery can try again; the failed delivery shows in the app's settings.
          await react(ctx, commentId, 'confused');
          throw error;
        }
        result = { outcome: 'refused', body: error.message };
        body = `❌ ${inertLines(error.message)}\n\nNothing was changed.`;
      }
    }
    await octokit.rest.issues.createComment({
      owner: target.owner,
      repo: target.repo,
      issue_number: issueNumber,
      body: withMarker(body, marker),
    });
    if (result === 'confused') await react(ctx, commentId, 'confused');
    else if (result.outcome !== 'answered') await react(ctx, commentId, result.outcome === 'done' ? '+1' : '-1');
  });
}
