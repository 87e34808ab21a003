import assert from 'node:assert/strict';
import { cleanMessage } from '../../../src/extension/chat/commitText';

describe('commit message text', () => {
  it('the reply loses a code fence and blank lines around it', () => {
    assert.equal(cleanMessage('```\nfeat: add picker\n\nBody.\n```\n'), 'feat: add picker\n\nBody.');
    assert.equal(cleanMessage('```text\nfix: x\n'), 'fix: x', 'a fence still streaming');
    assert.equal(cleanMessage('\n\nAdd the picker\n\n'), 'Add the picker');
  });
});
