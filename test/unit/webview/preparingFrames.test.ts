/**
 * A frame that renders answers never also sets up the markdown libraries or
 * compiles a grammar: each of those took 5-30 ms, and together with a slice
 * of rendering they made the frames that open a long chat 50-100 ms long.
 * Run in a fresh process, where no grammar is compiled yet.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

interface Frame {
  compiled: number;
  rendered: number;
}

const SCENARIO = `
  const { assistant, user, viewState } = require(${JSON.stringify(path.resolve('test/unit/webview/env.ts'))});
  const { mountWithObservers, observer } = require(${JSON.stringify(path.resolve('test/unit/webview/fakeObservers.ts'))});
  const { grammarReady } = require(${JSON.stringify(path.resolve('media/chat/languages.ts'))});
  const languages = ['typescript', 'python', 'java', 'rust', 'go', 'css', 'sql', 'yaml', 'cpp', 'bash'];
  const seed = Number(process.argv[1]);
  const code = (lang, i) => '\\x60\\x60\\x60' + lang + '\\nconst value' + i + ' = compute(' + i + '); // ' + 'x'.repeat(200) + '\\n\\x60\\x60\\x60';
  const messages = [];
  for (let i = 0; i < 40; i++) {
    const a = languages[(i * 3 + seed) % languages.length];
    const b = languages[(i * 7 + seed * 5) % languages.length];
    messages.push(user('u' + i, 'Question ' + i));
    messages.push(assistant('a' + i, 'Answer ' + i + ' ' + 'words '.repeat(150) + '\\n\\n' + code(a, i) + '\\n\\nThen:\\n\\n' + code(b, i) + '\\n\\nDone.'));
  }
  const page = mountWithObservers();
  page.send({ type: 'state', state: viewState({ messages }) });
  observer('100%').report(() => true);
  observer('300%').report(() => true);
  const frames = [];
  const ready = () => languages.filter(grammarReady).length;
  const blocks = () => page.$$('[data-testid="code-block"]').length;
  for (let i = 0; i < 500 && page.scheduler.pending > 0; i++) {
    const compiled = ready();
    const rendered = blocks();
    page.scheduler.flush();
    frames.push({ compiled: ready() - compiled, rendered: blocks() - rendered });
  }
  console.log(JSON.stringify({ frames, compiled: ready(), blocks: blocks(), languages: languages.length }));
`;

describe('webview frames that prepare rendering', () => {
  for (const seed of [1, 2, 3]) {
    it(`set up the libraries and compile grammars in frames that render nothing (a long chat with code in 10 languages, seed ${seed})`, () => {
      const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', SCENARIO, String(seed)], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      const { frames, compiled, blocks, languages } = JSON.parse(result.stdout) as { frames: Frame[]; compiled: number; blocks: number; languages: number };
      assert.equal(compiled, languages, 'every grammar compiled in the end');
      assert.equal(blocks, 80, 'every code block rendered in the end');
      assert.equal(frames[0]?.rendered, 0, 'the first frame sets up the libraries');
      const both = frames.findIndex((frame) => frame.compiled > 0 && frame.rendered > 0);
      assert.equal(both, -1, `frame ${both} compiled ${frames[both]?.compiled} grammar(s) and rendered ${frames[both]?.rendered} code block(s)`);
    });
  }
});
