import assert from 'node:assert/strict';
import { dropSuffixDuplicates, isAlreadyThere } from '../../../../src/server/completions/rules/overlap';

describe('completion rules: overlap with the code after the cursor', () => {
  it('drops lines repeating the next lines, also nearly (whitespace, trailing ; or ,)', () => {
    const next = ['  return total;', '}'];
    for (const variant of ['  return total;', 'return total;', '  return total', '  return  total ;', '\treturn total;,']) {
      assert.equal(dropSuffixDuplicates(`x = 1;\n${variant}\n}`, next), 'x = 1;', JSON.stringify(variant));
    }
    assert.equal(dropSuffixDuplicates('a();\nb();\nc();', ['', 'b();', 'c();', 'd();']), 'a();');
  });

  it('the first line counts when the cursor line is blank', () => {
    assert.equal(dropSuffixDuplicates('return x;', ['return x;'], true), '');
    assert.equal(dropSuffixDuplicates('return x;', ['return x;'], false), 'return x;');
  });

  it('drops a closer that repeats the one below at the same indentation, with or without ;', () => {
    for (const closer of ['  }', '  };', '  },']) {
      assert.equal(dropSuffixDuplicates(`y();\n${closer}`, ['  }', '}']), 'y();', closer);
    }
  });

  it('keeps its own closer when the one below closes something else (other indentation)', () => {
    assert.equal(dropSuffixDuplicates('if (x) {\n    y();\n  }', ['}']), 'if (x) {\n    y();\n  }');
    assert.equal(dropSuffixDuplicates('y();\n    }', ['  }']), 'y();\n    }');
    assert.equal(dropSuffixDuplicates('a();\n}\nb();', ['}', 'c();']), 'a();\n}\nb();', 'not at the tail');
  });

  it('block-end keywords compare with their indentation too', () => {
    assert.equal(dropSuffixDuplicates('\n    self\n  end', ['end']), '\n    self\n  end', 'the `end` below closes the class');
    assert.equal(dropSuffixDuplicates('\n    self\n  end', ['  end']), '\n    self');
  });

  it('keeps suggestions that do not repeat', () => {
    assert.equal(dropSuffixDuplicates('a();\nb();', ['c();']), 'a();\nb();');
    assert.equal(dropSuffixDuplicates('a();\nb();', []), 'a();\nb();');
  });

  it('knows a suggestion that is already there', () => {
    assert.equal(isAlreadyThere(');', ');\n'), true);
    assert.equal(isAlreadyThere('return x;', '\n  return x;\n}'), true);
    assert.equal(isAlreadyThere('x', '\n  xyz();'), false);
  });
});
