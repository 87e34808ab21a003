import assert from 'node:assert/strict';
import { chooseContextSize, chooseThreads, MAX_CONTEXT_TOKENS } from '../../../src/server/providers/embedded/resources';
import { findEngine } from '../../../src/server/providers/embedded/engine';
import { refuseEndpoint } from '../../../src/server/services/dataBoundary';
import { EMBEDDED_BASE_URL, resolveSettings } from '../../../src/server/settings';
import { buildStatus } from '../../../src/server/status';

const MODEL = '/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf';

describe('choosing the built-in model (settings and environment)', () => {
  const cases: Array<[what: string, client: Record<string, unknown>, env: NodeJS.ProcessEnv, expected: string | undefined]> = [
    ['the setting', { embedded: { modelPath: MODEL } }, {}, 'settings'],
    ['the setting, even with an endpoint', { baseUrl: 'http://127.0.0.1:11434/v1', embedded: { modelPath: MODEL } }, {}, 'settings'],
    ['TANDEM_EMBEDDED_MODEL', {}, { TANDEM_EMBEDDED_MODEL: MODEL }, 'environment'],
    ['TANDEM_EMBEDDED_MODEL, even with a key', { apiKey: 'sk-x' }, { TANDEM_EMBEDDED_MODEL: MODEL }, 'environment'],
    ['the downloaded model when nothing else is configured', { embedded: { builtInModelPath: MODEL } }, {}, 'builtIn'],
    ['not the downloaded model when a base URL is set', { baseUrl: 'http://127.0.0.1:8080/v1', embedded: { builtInModelPath: MODEL } }, {}, undefined],
    ['not the downloaded model when a key is set', { apiKey: 'sk-x', embedded: { builtInModelPath: MODEL } }, {}, undefined],
    ['not the downloaded model when OPENAI_BASE_URL is set', { embedded: { builtInModelPath: MODEL } }, { OPENAI_BASE_URL: 'http://localhost:1234/v1' }, undefined],
    ['nothing from values of the wrong type', { embedded: { modelPath: 42, builtInModelPath: ['x'] } }, {}, undefined],
    ['nothing from blank values', { embedded: { modelPath: '  ' } }, { TANDEM_EMBEDDED_MODEL: '' }, undefined],
    ['nothing from a non-object', { embedded: 'model.gguf' }, {}, undefined],
  ];
  for (const [what, client, env, origin] of cases) {
    it(`${origin ? 'uses' : 'does not use'} the built-in model: ${what}`, () => {
      const resolved = resolveSettings(client, env);
      assert.equal(resolved.embedded?.origin, origin);
      const status = buildStatus(resolved);
      if (origin) {
        assert.equal(resolved.settings.baseUrl, EMBEDDED_BASE_URL);
        assert.equal(resolved.settings.model, 'qwen2.5-coder-1.5b-instruct-q4_k_m');
        assert.equal(resolved.settings.completionModel, resolved.settings.model);
        assert.equal(resolved.settings.completions.template, 'suffix', 'prefix and suffix go apart: the model fills in with its own tokens');
        assert.deepEqual({ state: status.state, source: status.source, model: status.model, embedded: status.embedded }, { state: 'ready', source: 'embedded', model: 'qwen2.5-coder-1.5b-instruct-q4_k_m', embedded: { modelPath: MODEL, origin } });
      } else {
        assert.notEqual(resolved.settings.baseUrl, EMBEDDED_BASE_URL);
        assert.notEqual(status.source, 'embedded');
        assert.equal(status.embedded, undefined);
      }
    });
  }

  it('reads the idle minutes within 0–1440, defaulting to 10, and expands ~ to the home folder', () => {
    const idle = (value: unknown): number | undefined => resolveSettings({ embedded: { modelPath: MODEL, idleUnloadMinutes: value } }, {}).embedded?.idleUnloadMinutes;
    assert.deepEqual([idle(undefined), idle('5'), idle(Number.NaN), idle(-3), idle(0), idle(30), idle(1e9)], [10, 10, 10, 0, 0, 30, 1440]);
    assert.equal(resolveSettings({}, { TANDEM_EMBEDDED_MODEL: '~/m/x.gguf', HOME: '/home/a' }).embedded?.modelPath, '/home/a/m/x.gguf');
  });

  it('keeps the built-in model inside the data boundary: localOnly allows it, it is nowhere near http', () => {
    assert.equal(refuseEndpoint(EMBEDDED_BASE_URL, { dataBoundary: { localOnly: true } }), undefined);
    assert.ok(refuseEndpoint('https://api.openai.com/v1', { dataBoundary: { localOnly: true } }));
    assert.equal(new URL(EMBEDDED_BASE_URL).host, 'embedded', 'the audit trail records the host: embedded');
  });
});

describe('the built-in model’s share of the machine', () => {
  it('uses one thread on one or two cores and leaves a core free above that', () => {
    assert.deepEqual([1, 2, 3, 4, 8, 16, 64].map((cores) => chooseThreads(cores)), [1, 1, 2, 3, 7, 8, 8]);
    assert.equal(chooseThreads(2, 3), 3, 'TANDEM_EMBEDDED_THREADS wins');
  });

  it('sizes the context from free memory, within the trained context and the cap', () => {
    const shape = { trainContextSize: 32_768, layers: 28, kvWidth: 256 };
    const sizes = [64e6, 256e6, 1e9, 4e9, 64e9].map((free) => chooseContextSize(shape, free));
    for (let i = 1; i < sizes.length; i++) assert.ok((sizes[i] ?? 0) >= (sizes[i - 1] ?? 0), `more memory, no smaller context: ${sizes.join(', ')}`);
    assert.equal(sizes.at(-1), MAX_CONTEXT_TOKENS);
    assert.ok((sizes[0] ?? 0) >= 512);
    assert.equal(chooseContextSize({ ...shape, trainContextSize: 1024 }, 64e9), 1024, 'never beyond what the model was trained on');
    assert.equal(chooseContextSize({ ...shape, trainContextSize: 256 }, 1e6), 256);
  });

  it('finds no engine where there is none', () => {
    assert.equal(findEngine({ TANDEM_EMBEDDED_ENGINE: '/nonexistent/node_modules' }, '/'), undefined);
  });
});
