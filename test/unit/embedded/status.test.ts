import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stopEngine } from '../../../src/server/providers/embedded/engine';
import { EmbeddedRuntime, type EmbeddedCheck, type LoadedInfo } from '../../../src/server/providers/embedded/runtime';
import { resolveSettings } from '../../../src/server/settings';
import { buildStatus } from '../../../src/server/status';
import { ModelFolder, REPO_ROOT, requireEngine } from '../../support/embeddedEngine';
import { tinyGguf } from '../../support/tinyGguf';

/** Files that are not a usable model, each checked from its header alone. */
function badFiles(): Array<[name: string, bytes: Buffer]> {
  const good = tinyGguf();
  const list: Array<[string, Buffer]> = [
    ['empty', Buffer.alloc(0)],
    ['text', Buffer.from('{"model": "not really"}\n')],
    ['zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, ...new Array<number>(60).fill(0)])],
    ['GGUF magic alone', Buffer.from('GGUF')],
    ['a wrong version', Buffer.concat([Buffer.from('GGUF'), Buffer.from([0xff, 0xff, 0xff, 0x7f]), good.subarray(8)])],
  ];
  // Cut inside the header (magic, counts, metadata, vocabulary): the header no longer parses.
  for (const bytes of [6, 12, 24, 40, 100, 500, 2_000, 5_000]) list.push([`cut to ${bytes} bytes`, good.subarray(0, bytes)]);
  for (const key of ['llama.feed_forward_length', 'llama.attention.head_count', 'tokenizer.ggml.tokens', 'general.architecture']) list.push([`without ${key}`, tinyGguf({ omitKeys: [key] })]);
  return list;
}

describe("the built-in model's status is checked when it is chosen (engine, file header), not by the first request", function () {
  this.timeout(60_000);
  const models = new ModelFolder();
  const runtimes: EmbeddedRuntime[] = [];
  const start = (modelPath: string, options: { engineFrom?: string; freeMemory?: () => number } = {}): EmbeddedRuntime => {
    const runtime = new EmbeddedRuntime({ env: {}, engineFrom: options.engineFrom ?? REPO_ROOT, threads: 1, gpu: false, maxAnswerTokens: 8, ...(options.freeMemory ? { freeMemory: options.freeMemory } : {}) });
    runtime.configure({ modelPath, idleUnloadMinutes: 0 });
    runtimes.push(runtime);
    return runtime;
  };
  const failed = (check: EmbeddedCheck | undefined): string => {
    assert.ok(check && !check.ok, `expected a failed check, got ${JSON.stringify(check)}`);
    return check.problem;
  };

  before(function () {
    requireEngine(this);
  });
  afterEach(async () => {
    for (const runtime of runtimes.splice(0)) await runtime.dispose();
  });
  after(async () => {
    await stopEngine();
    models.dispose();
  });

  it('is ready with the context the model will get, and the load uses that context', async () => {
    // Free memory shrinks between the check and the load: the model still gets the context the status announced.
    let free = 64 * 1024 ** 3;
    const runtime = start(models.write('tiny-ok.gguf', { contextLength: 4096 }), { freeMemory: () => free });
    const check = await runtime.check();
    assert.ok(check?.ok, JSON.stringify(check));
    assert.equal(check.contextTokens, 4096);
    assert.ok(check.promptTokens > 0 && check.promptTokens < check.contextTokens);
    // A call, not a property: TypeScript would keep the check's narrowing across the awaits.
    const info = (): LoadedInfo | undefined => runtime.info;
    assert.equal(info(), undefined, 'checking loads nothing');
    free = 1024;
    await runtime.chat([{ role: 'user', content: 'hi' }], new AbortController().signal, () => undefined);
    assert.equal(info()?.contextSize, check.contextTokens);
  });

  it('says the engine is missing, before any request', async () => {
    const elsewhere = path.join(models.dir, 'no-extension');
    mkdirSync(elsewhere, { recursive: true });
    const problem = failed(await start(models.write('tiny-engine.gguf'), { engineFrom: elsewhere }).check());
    assert.match(problem, /The built-in model's engine is not installed for \w+-\w+/);
  });

  it('says the file is missing, or not a file', async () => {
    assert.match(failed(await start(path.join(models.dir, 'nowhere.gguf')).check()), /does not exist\. Check tandem\.embedded\.modelPath/);
    assert.match(failed(await start(models.dir).check()), /is not a file/);
  });

  for (const [name, bytes] of badFiles()) {
    it(`says what is wrong with a bad file: ${name}`, async () => {
      const file = path.join(models.dir, `bad-${name.replace(/\W+/g, '-')}.gguf`);
      writeFileSync(file, bytes);
      assert.match(failed(await start(file).check()), /is not a GGUF model|is not a valid GGUF model|is not a usable model|is incomplete|is a GGUF file of version/);
    });
  }

  it('is checked again when the settings change: a fixed file is ready, a new bad one fails', async () => {
    const file = path.join(models.dir, 'changing.gguf');
    writeFileSync(file, 'not yet');
    const runtime = start(file);
    failed(await runtime.check());
    writeFileSync(file, tinyGguf());
    assert.ok((await runtime.check())?.ok);
    runtime.configure({ modelPath: path.join(models.dir, 'gone.gguf'), idleUnloadMinutes: 0 });
    assert.match(failed(await runtime.check()), /gone\.gguf does not exist/);
    runtime.configure(undefined);
    assert.equal(await runtime.check(), undefined, 'no built-in model, nothing to check');
  });

  it('puts the check in the status: failed with the reason, or ready with the budget', () => {
    const resolved = resolveSettings({ embedded: { modelPath: '/models/coder.gguf' } }, {});
    assert.ok(resolved.embedded);
    assert.deepEqual(
      { ...buildStatus(resolved, { ok: false, problem: 'The model file /models/coder.gguf does not exist.' }) },
      { ...buildStatus(resolved), state: 'failed', problem: 'The model file /models/coder.gguf does not exist.' },
    );
    const ready = buildStatus(resolved, { ok: true, contextTokens: 8192, promptTokens: 6128 });
    assert.equal(ready.state, 'ready');
    assert.equal(ready.problem, undefined);
    assert.deepEqual(ready.embedded, { modelPath: '/models/coder.gguf', origin: 'settings', contextTokens: 8192, promptTokens: 6128 });
  });
});
