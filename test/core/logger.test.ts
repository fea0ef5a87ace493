import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutWorkflowCommands } from '../../core/logger.ts';
import { assertNoWorkflowCommands } from '../support/inert-markdown.ts';

describe('withoutWorkflowCommands', () => {
  test('no line runs a command, wherever the runner looks: a line start after spaces, any line break, ##[ mid-line', () => {
    const text =
      '::warning::a\n  ::error::b\r::add-mask::c\r\n\t::stop-commands::d\nok ##[stop-commands]e\u2028::notice::f';
    assert.throws(() => assertNoWorkflowCommands(text));
    const safe = withoutWorkflowCommands(text);
    assertNoWorkflowCommands(safe);
    // It reads the same: only zero-width spaces were added.
    assert.equal(safe.replace(/\u200B/g, ''), text);
  });

  test('ordinary text, and colons that are no command, are left alone', () => {
    for (const text of ['model churn: roc_auc 0.83', 'a :: b', 'time 10:20:30', 'C::D\n'])
      assert.equal(withoutWorkflowCommands(text), text);
  });
});
