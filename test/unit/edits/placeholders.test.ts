import assert from 'node:assert/strict';
import { findElision, isPlaceholder } from '../../../src/server/edits/placeholders';

describe('elision placeholders', () => {
  it('recognises the usual placeholders', () => {
    for (const line of [
      '// ... existing code ...',
      '  // ...existing code...',
      '# ... rest of file unchanged',
      '# rest of the file unchanged',
      '/* ... */',
      '// rest of the code remains the same',
      '...',
      '    …',
      '<!-- ... -->',
      '{/* ... */}',
      '-- ... other queries ...',
      '// existing methods',
      '// Remaining implementation stays the same',
      '# code omitted for brevity',
      '// ... (other cases)',
    ]) {
      assert.ok(isPlaceholder(line), line);
    }
  });

  it('leaves real code and ordinary comments alone', () => {
    for (const line of [
      'const all = [...items];',
      '...rest,',
      'return { ...state, done: true };',
      '// TODO: handle errors',
      '# see the docs for details',
      '// Loading... please wait',
      'print("...")',
      'x = y  # same as before? no',
      '',
      '   ',
      "log('Saving...')",
    ]) {
      assert.ok(!isPlaceholder(line), line);
    }
  });

  it('finds a placeholder only where it replaces removed code', () => {
    assert.deepEqual(
      findElision([
        { op: ' ', text: 'function f() {' },
        { op: '-', text: '  a();' },
        { op: '-', text: '' },
        { op: '-', text: '  b();' },
        { op: '+', text: '  // ... existing code ...' },
        { op: ' ', text: '}' },
      ]),
      { placeholder: '// ... existing code ...', removed: [1, 3] },
    );
    // Adding a placeholder-like comment without removing anything is not an elision.
    assert.equal(findElision([{ op: ' ', text: 'a' }, { op: '+', text: '// ...' }]), undefined);
    // Keeping a placeholder comment the file already has is not one either.
    assert.equal(findElision([{ op: '-', text: '// ...' }, { op: '-', text: 'x();' }, { op: '+', text: '// ...' }]), undefined);
  });
});
