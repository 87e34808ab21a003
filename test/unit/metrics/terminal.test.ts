/**
 * `tandem metrics` prints names that came from model servers (model names) and from the
 * workspace (languages) into a terminal: generated hostile names must show as visible
 * text, never as escape sequences, control characters or direction overrides, and never
 * break the table's layout.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aggregateFolder } from '../../../src/server/services/metrics/folder';
import { formatReport, terminalSafe } from '../../../src/server/services/metrics/format';
import { writeTrail, type Timed } from './writeTrail';

const HOSTILE = [
  '\u001b[2J\u001b[H', // clear the screen
  '\u001b]0;pwned\u0007', // set the window title
  '\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\', // a hyperlink
  '\r', // return to the line's start, overprinting
  '\b\b\b', // backspaces
  '\u009b31m', // C1 CSI
  '\u202egpt-4o', // right-to-left override
  '\u2066x\u2069', // isolates
  '\n  fake-row  1  2  3', // a forged table row
  'x'.repeat(5_000), // a name as long as a page
];

/** Each hostile piece inside an ordinary name, at the start, middle and end. */
function names(): string[] {
  return HOSTILE.flatMap((piece) => [`${piece}model`, `gpt-${piece}-4o`, `model${piece}`]);
}

// Whatever a terminal acts on instead of showing: C0/C1 controls, DEL, bidi controls.
const ACTS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('tandem metrics: hostile names in a terminal', () => {
  it('terminalSafe leaves nothing a terminal acts on, and cuts long names', () => {
    for (const name of names()) {
      const shown = terminalSafe(name);
      assert.doesNotMatch(shown, ACTS, JSON.stringify(name));
      assert.doesNotMatch(shown, /\n/, JSON.stringify(name));
      assert.ok(shown.length <= 80, `${shown.length} characters`);
    }
    // Ordinary names are untouched.
    for (const name of ['gpt-4o', 'qwen2.5-coder:7b', 'openai/gpt-4.1', 'typescriptreact', 'modèle-ü']) assert.equal(terminalSafe(name), name);
  });

  it('the printed report has one line per row and no control characters, whatever the models were called', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-metrics-terminal-'));
    try {
      const all = names();
      const events: Timed[] = all.map((model, i) => ({
        time: new Date(Date.UTC(2026, 11, 1, 9, 0, i)).toISOString(),
        type: 'model.request',
        actor: 'person',
        request: `r${i}`,
        purpose: 'chat',
        model,
        endpointHost: 'api.example.com',
        context: [],
        tokens: { prompt: 10, completion: 1, total: 11 },
        totalMs: 5,
        attempts: 1,
        outcome: 'ok',
      }));
      await writeTrail(dir, events);
      const report = aggregateFolder(dir, {});
      assert.equal(Object.keys(report.totals.tokensByModel).length, all.length, 'every model counted');
      const text = formatReport(report);
      assert.doesNotMatch(text, ACTS);
      // The tokens table has exactly one row per model: no name forged a row or broke one.
      const section = text.split('Tokens by model\n')[1]!.split('\n\n')[0]!.split('\n');
      assert.equal(section.length, 2 + all.length, 'header, rule and one row per model');
      assert.doesNotMatch(text, /\n *fake-row/, 'a forged row would start a line');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
