import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '../..');

describe('docs/protocol.md', () => {
  it('documents every custom message declared in the shared protocol modules', () => {
    const doc = readFileSync(path.join(root, 'docs/protocol.md'), 'utf8');
    const declared = ['src/shared/protocol.ts', 'src/shared/agentProtocol.ts'].flatMap((file) =>
      Array.from(readFileSync(path.join(root, file), 'utf8').matchAll(/method = '(tandem\/[A-Za-z]+)'/g), (match) => match[1] ?? ''),
    );
    assert.ok(declared.length >= 15, `found only ${declared.length} methods`);
    const missing = declared.filter((method) => !doc.includes(`\`${method}\``));
    assert.deepEqual(missing, [], `not documented in docs/protocol.md: ${missing.join(', ')}`);
  });
});
