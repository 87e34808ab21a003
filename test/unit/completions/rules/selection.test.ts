import assert from 'node:assert/strict';
import { withSelectedItem } from '../../../../src/server/completions/rules/selection';

describe('completion rules: the suggest widget\'s selected item', () => {
  it('shows the suggestion only when it extends the selected item', () => {
    const cases: Array<[string, string, string, string | undefined]> = [
      ['le', 'length', 'ngth;', 'length;'],
      ['', 'toString', 'toString()', 'toString()'],
      ['to', 'toUpperCase', 'UpperCase().trim()', 'toUpperCase().trim()'],
      ['le', 'length', 'ft();', undefined],
      ['le', 'length', 'ngth', undefined],
      ['', 'map', 'filter(x)', undefined],
    ];
    for (const [replaced, text, suggestion, expected] of cases) {
      assert.equal(withSelectedItem(suggestion, { replaced, text }), expected, JSON.stringify([replaced, text, suggestion]));
    }
  });
});
