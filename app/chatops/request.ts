/** What a ChatOps comment asks the app to do, and what the app answers; run-command.ts and sync.ts share them. */
import type { ChatCommand } from './command.ts';

export interface CommandRequest {
  command: ChatCommand;
  commenter: string;
  issueNumber: number;
  commentId: number;
  commentUrl: string;
}

export interface CommandResult {
  /** `answered`: a question (show, help), whose reply is all there is to say. */
  outcome: 'done' | 'refused' | 'answered';
  body: string;
}
