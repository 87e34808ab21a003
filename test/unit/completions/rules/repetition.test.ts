import assert from 'node:assert/strict';
import { cutRepetition, inlineRepetitionEnd } from '../../../../src/server/completions/rules/repetition';

const LINES = ['console.log(value);', 'x += 1', 'result.push(item);', 'assert x == 1', 'fmt.Println(err)'];

describe('completion rules: repetition', () => {
  it('cuts a line repeated three or more times to one', () => {
    for (const line of LINES) {
      for (let times = 3; times <= 8; times++) {
        const reply = Array.from({ length: times }, () => line).join('\n');
        assert.equal(cutRepetition(reply), line, `${line} x${times}`);
        assert.equal(cutRepetition(`first();\n${reply}`), `first();\n${line}`);
      }
      assert.equal(cutRepetition(`${line}\n${line}`), `${line}\n${line}`, 'twice can be meant');
    }
  });

  it('cuts a block of two to four lines repeated', () => {
    for (let size = 2; size <= 4; size++) {
      const block = LINES.slice(0, size);
      const reply = [...block, ...block, ...block].join('\n');
      assert.equal(cutRepetition(reply), block.join('\n'), `block of ${size}`);
    }
  });

  it('leaves nothing when the answer only repeats the lines before the cursor', () => {
    assert.equal(cutRepetition('import b\nimport b', ['import a', 'import b']), '');
    assert.equal(cutRepetition('a();\nb();\na();\nb();', ['a();', 'b();']), '');
    assert.equal(cutRepetition('c();', ['a();', 'b();']), 'c();');
  });

  it('does not count brackets and blank lines as repetition', () => {
    const reply = '    }\n  }\n}\n\n\n';
    assert.equal(cutRepetition('x();\n}\n}\n}'), 'x();\n}\n}\n}');
    assert.equal(cutRepetition(reply), reply);
  });

  it('cuts text repeating itself within a line', () => {
    assert.equal(cutRepetition('return a + b + b + b + b + b'), 'return a + b');
    assert.equal(inlineRepetitionEnd('foo(bar, bar, bar, bar, bar'), 'foo(bar, '.length);
    for (const line of ['[0, 0, 0, 0, 0, 0]', '// ==========', 'abcabc', 'x = y * y']) {
      assert.equal(inlineRepetitionEnd(line), line.length, line);
    }
  });
});
