import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { tinyGguf, type TinyGgufOptions } from '../../support/tinyGguf';
import { ModelFolder, REPO_ROOT, requireEngine } from '../../support/embeddedEngine';
import { writeFileSync } from 'node:fs';

/** Keys llama.cpp needs; a llama model without some of them aborts the process when it reaches llama.cpp. */
const REQUIRED = [
  'general.architecture',
  'llama.context_length',
  'llama.embedding_length',
  'llama.block_count',
  'llama.feed_forward_length',
  'llama.attention.head_count',
  'llama.attention.layer_norm_rms_epsilon',
  'tokenizer.ggml.model',
  'tokenizer.ggml.tokens',
];

/** The malformed models: every required key left out, numbers in the wrong type, and the file cut at points across it. */
function cases(): Array<[name: string, options: TinyGgufOptions]> {
  const list: Array<[string, TinyGgufOptions]> = REQUIRED.map((key) => [`without ${key}`, { omitKeys: [key] }]);
  list.push(
    ['block_count as i32', { retype: { 'llama.block_count': 'i32' } }],
    ['head_count as u64', { retype: { 'llama.attention.head_count': 'u64' } }],
    ['epsilon as f64', { retype: { 'llama.attention.layer_norm_rms_epsilon': 'f64' } }],
    ['feed_forward_length as a string', { retype: { 'llama.feed_forward_length': 'string' } }],
    ['architecture as a number', { retype: { 'general.architecture': 'u32' } }],
  );
  const size = tinyGguf().length;
  for (const fraction of [0, 0.0001, 0.01, 0.05, 0.3, 0.7, 0.99]) list.push([`cut to ${Math.round(fraction * 10_000) / 100} %`, { truncateTo: Math.floor(size * fraction) }]);
  return list;
}

describe('malformed model files give a clear error, never a crash of the service', function () {
  this.timeout(120_000);
  const models = new ModelFolder();
  before(function () {
    requireEngine(this);
  });
  after(() => models.dispose());

  it('refuses each with a sentence naming the file, and the process lives on to load a good model after them', () => {
    const list = cases();
    const files = list.map(([name, options], index) => {
      const file = path.join(models.dir, `bad-${index}.gguf`);
      writeFileSync(file, tinyGguf(options));
      return { name, file };
    });
    const good = models.write('good.gguf');
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/support/loadModelsChild.ts'), ...files.map((f) => f.file), good], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 100_000,
    });
    const results = child.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { file: string; ok?: boolean; failure?: string; message?: string });
    const dying = [...child.stderr.matchAll(/^loading (\S+)$/gm)].at(-1)?.[1];
    assert.equal(child.signal, null, `the process died (${child.signal}) loading ${files.find((f) => f.file === dying)?.name ?? dying}:\n${child.stderr.slice(-2000)}`);
    assert.equal(results.length, files.length + 1, child.stderr.slice(-2000));
    for (const [index, { name, file }] of files.entries()) {
      const result = results[index];
      assert.equal(result?.file, file);
      assert.ok(result?.failure === 'modelFile' || result?.failure === 'loadFailed', `${name}: ${JSON.stringify(result)}`);
      assert.ok(result?.message?.includes(path.basename(file, '.gguf')), `${name}: the message names the file: ${result?.message}`);
    }
    assert.deepEqual(results.at(-1), { file: good, ok: true }, 'a good model still loads after every bad one');
  });
});
