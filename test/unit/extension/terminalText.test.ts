import assert from 'node:assert/strict';
import { TerminalText, terminalText, visibleCommand } from '../../../src/extension/agent/terminalText';

/** Splits a text at every position into two chunks, and into single characters. */
function splits(text: string): string[][] {
  const out: string[][] = [[...text]];
  for (let index = 0; index <= text.length; index++) out.push([text.slice(0, index), text.slice(index)]);
  return out;
}

function stream(chunks: readonly string[]): string {
  const sanitizer = new TerminalText();
  return chunks.map((chunk) => sanitizer.push(chunk)).join('') + sanitizer.flush();
}

describe('Tandem Agent terminal text', () => {
  it('turns line feeds into CR LF, once', () => {
    assert.equal(terminalText('a\nb\r\nc\rd'), 'a\r\nb\r\nc\rd');
    assert.equal(stream(['a\r', '\nb\n']), 'a\r\nb\r\n', 'a CR LF split across chunks stays one line end');
  });

  it('keeps colours and drops every other sequence a terminal would act on, however the chunks fall', () => {
    const hostile = [
      '\u001b]0;fake title\u0007', // window title
      '\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\', // hyperlink
      '\u001b]52;c;cm0gLXJmIH4=\u0007', // clipboard write
      '\u001b]633;E;rm -rf ~\u0007', // shell integration: a fake command line
      '\u001b[2J\u001b[H', // clear the screen, cursor home
      '\u001b[1A\u001b[2K', // up a line, erase it
      '\u001bPq#0;2;0;0;0\u001b\\', // DCS (sixel)
      '\u001b7\u001b8', // save / restore cursor
      '\u0007\u009b31m', // bell, C1 CSI
    ].join('');
    const text = `start \u001b[31mred\u001b[0m ${hostile} end\n`;
    for (const chunks of splits(text)) {
      const out = stream(chunks);
      assert.equal(out, 'start \u001b[31mred\u001b[0m link31m end\r\n', JSON.stringify(chunks));
    }
  });

  it('an escape that never ends is not held forever', () => {
    const sanitizer = new TerminalText();
    assert.equal(sanitizer.push('a\u001b]0;'), 'a');
    const long = sanitizer.push('x'.repeat(5000));
    assert.ok(long.length > 4000, 'released once past the bound');
    assert.doesNotMatch(long, /\u001b/);
  });

  it('shows the command exactly, every control character visible', () => {
    assert.equal(visibleCommand('npm test\u0001rm -rf ~; #'), 'npm test\\x01rm -rf ~; #');
    assert.equal(visibleCommand('echo a\rb'), 'echo a\\x0db');
    assert.equal(visibleCommand('printf "\u001b]0;x\u0007"'), 'printf "\\x1b]0;x\\x07"');
    assert.equal(visibleCommand('for f in *; do\n  echo $f\ndone'), 'for f in *; do\r\n>   echo $f\r\n> done');
    for (let code = 0; code < 32; code++) {
      if (code === 10) continue;
      assert.doesNotMatch(visibleCommand(`a${String.fromCharCode(code)}b`), /[\u0000-\u001f]/, `code ${code}`);
    }
  });
});
