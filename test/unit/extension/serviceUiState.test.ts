import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serviceUiState } from '../../../src/extension/chat/serviceUiState';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string; title: string; category?: string }> };
};

describe('serviceUiState: the header banner', () => {
  it('without a model, names the built-in model command by its palette title, and the other ways', () => {
    const entry = pkg.contributes.commands.find((command) => command.command === 'tandem.useBuiltInModel');
    assert.ok(entry, 'tandem.useBuiltInModel is contributed');
    const paletteTitle = `${entry.category}: ${entry.title}`;
    for (const status of [undefined, { state: 'notConfigured' } as const]) {
      const ui = serviceUiState('ready', status as Parameters<typeof serviceUiState>[1]);
      assert.equal(ui.state, 'notConfigured');
      assert.ok(ui.message?.includes(paletteTitle), ui.message);
      assert.match(ui.message ?? '', /API key/);
      assert.match(ui.message ?? '', /local server/);
      // One line in a narrow sidebar.
      assert.ok((ui.message ?? '').length <= 160, `${ui.message?.length} characters`);
    }
  });
});
