import assert from 'node:assert/strict';
import { providerLabel } from '../../../src/server/status';

describe('provider label', () => {
  const cases: Array<[string, string]> = [
    ['https://api.openai.com/v1', 'OpenAI'],
    ['https://my-team.openai.azure.com/openai/deployments/x', 'Azure OpenAI'],
    ['https://openrouter.ai/api/v1', 'OpenRouter'],
    ['http://127.0.0.1:11434/v1', 'Ollama'],
    ['http://localhost:1234/v1', 'LM Studio'],
    ['http://127.0.0.1:8080/v1', 'llama.cpp'],
    ['http://gpu-box:8000/v1', 'vLLM'],
    ['http://localhost:9999/v1', 'localhost:9999'],
    ['https://llm.example.com/v1', 'llm.example.com:443'],
    ['http://llm.example.com/v1', 'llm.example.com:80'],
  ];
  for (const [url, label] of cases) {
    it(`${url} → ${label}`, () => assert.equal(providerLabel(url), label));
  }

  it('is empty without an endpoint and the raw text for an invalid one', () => {
    assert.equal(providerLabel(''), '');
    assert.equal(providerLabel(undefined), '');
    assert.equal(providerLabel('not a url'), 'not a url');
  });
});
