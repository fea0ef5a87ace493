import assert from 'node:assert/strict';
import { UserError } from '../../core/errors.ts';

/** For `assert.throws` / `assert.rejects`: a UserError (not a bug) whose message matches `pattern`. */
export function userError(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof UserError, String(error));
    assert.match(error.message, pattern);
    return true;
  };
}
