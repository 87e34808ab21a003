import assert from 'node:assert/strict';
import { effectiveBaseUrl, resolveSettings } from '../../../src/server/settings';
import { DATA_BOUNDARY_DEFAULTS, DEFAULT_COMPLETION_SETTINGS } from '../../../src/shared/defaults';
import { buildStatus } from '../../../src/server/status';

const env = {
  OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1/',
  OPENAI_API_KEY: 'sk-env-key-123456',
  TANDEM_MODEL: 'qwen2.5-coder:7b',
};

describe('settings resolution', () => {
  it('uses the client values when they are given, and reports the source as settings', () => {
    const { settings, source } = resolveSettings(
      { baseUrl: 'https://api.openai.com/v1', model: 'gpt-4.1', apiKey: 'sk-client', logContents: true, requestTimeout: 30, maxRetries: 4 },
      env,
    );
    assert.deepEqual(settings, {
      baseUrl: 'https://api.openai.com/v1',
      model: 'gpt-4.1',
      completionModel: 'gpt-4.1',
      apiKey: 'sk-client',
      logContents: true,
      requestTimeout: 30,
      maxRetries: 4,
      completions: DEFAULT_COMPLETION_SETTINGS,
      dataBoundary: DATA_BOUNDARY_DEFAULTS,
    });
    assert.equal(source, 'settings');
  });

  it('falls back to the environment for every missing or empty value (env only: source environment)', () => {
    const { settings, source } = resolveSettings({ baseUrl: '', model: '   ', apiKey: '' }, env);
    assert.equal(settings.baseUrl, 'http://127.0.0.1:11434/v1', 'trailing slash removed');
    assert.equal(settings.model, 'qwen2.5-coder:7b');
    assert.equal(settings.apiKey, 'sk-env-key-123456');
    assert.equal(settings.completionModel, 'qwen2.5-coder:7b', 'completion model defaults to the model');
    assert.equal(source, 'environment');
  });

  it('mixes client and environment values and says so', () => {
    const { settings, source } = resolveSettings({ model: 'llama3' }, env);
    assert.equal(settings.model, 'llama3');
    assert.equal(settings.baseUrl, 'http://127.0.0.1:11434/v1');
    assert.equal(source, 'mixed');
  });

  it('takes TANDEM_COMPLETION_MODEL when set', () => {
    const { settings } = resolveSettings(null, { ...env, TANDEM_COMPLETION_MODEL: 'tiny' });
    assert.equal(settings.completionModel, 'tiny');
    assert.equal(settings.model, 'qwen2.5-coder:7b');
  });

  it('ignores values of the wrong type and non-object answers', () => {
    const wrong = { baseUrl: 42, model: ['x'], apiKey: { k: 1 }, logContents: 'yes', requestTimeout: '10', maxRetries: Number.NaN };
    const { settings, source } = resolveSettings(wrong, {});
    assert.deepEqual(settings, {
      baseUrl: '',
      model: '',
      completionModel: '',
      apiKey: '',
      logContents: false,
      requestTimeout: 60,
      maxRetries: 2,
      completions: DEFAULT_COMPLETION_SETTINGS,
      dataBoundary: DATA_BOUNDARY_DEFAULTS,
    });
    assert.equal(source, 'none');
    for (const answer of [null, undefined, 'tandem', 7, ['a']]) {
      assert.equal(resolveSettings(answer, {}).source, 'none');
    }
  });

  it('clamps numbers to sane ranges', () => {
    const { settings } = resolveSettings({ requestTimeout: -5, maxRetries: 99.7 }, {});
    assert.equal(settings.requestTimeout, 1);
    assert.equal(settings.maxRetries, 10);
    assert.equal(resolveSettings({ maxRetries: 1.9 }, {}).settings.maxRetries, 1);
    const completions = resolveSettings({ completions: { debounceMs: 99999, maxLines: 0.5, template: 'qwen', baseUrl: 'http://127.0.0.1:8000/v1/' } }, {}).settings.completions;
    assert.deepEqual(completions, { baseUrl: 'http://127.0.0.1:8000/v1', template: 'qwen', debounceMs: 2000, maxLines: 1 });
    assert.equal(resolveSettings({ completions: { template: 'gpt-magic' } }, {}).settings.completions.template, 'auto');
  });

  it('means OpenAI when there is no base URL but a key, and nothing when there is neither', () => {
    assert.equal(effectiveBaseUrl({ baseUrl: '', apiKey: 'sk-x' }), 'https://api.openai.com/v1');
    assert.equal(effectiveBaseUrl({ baseUrl: '', apiKey: '' }), undefined);
    assert.equal(effectiveBaseUrl({ baseUrl: 'http://h:1/v1', apiKey: '' }), 'http://h:1/v1');
  });

  it('builds the status: ready only with an endpoint and a model', () => {
    const ready = buildStatus(resolveSettings({ apiKey: 'sk-abc', model: 'gpt-4.1' }, {}));
    assert.deepEqual(ready, {
      state: 'ready',
      model: 'gpt-4.1',
      baseUrl: 'https://api.openai.com/v1',
      provider: 'OpenAI',
      source: 'settings',
      hasApiKey: true,
    });
    const noModel = buildStatus(resolveSettings({ baseUrl: 'http://127.0.0.1:1234/v1' }, {}));
    assert.equal(noModel.state, 'notConfigured');
    assert.equal(noModel.provider, 'LM Studio');
    assert.equal(noModel.hasApiKey, false);
    const nothing = buildStatus(resolveSettings(undefined, {}));
    assert.deepEqual(nothing, { state: 'notConfigured', model: '', baseUrl: '', provider: '', source: 'none', hasApiKey: false });
    assert.equal(buildStatus(resolveSettings({ baseUrl: 'not a url', model: 'm' }, {})).state, 'notConfigured');
  });
});
