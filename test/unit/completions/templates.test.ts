import assert from 'node:assert/strict';
import { cursorContext } from '../../../src/server/completions/context';
import { buildModelBody, isReasoningModel } from '../../../src/server/completions/prompt';
import { chooseTemplate, fimPrompt, stopSequences } from '../../../src/server/completions/templates';

describe('completion templates', () => {
  it('chooses the template from the model name', () => {
    const cases: Array<[string, string]> = [
      ['qwen2.5-coder:7b', 'qwen'],
      ['Qwen/Qwen2.5-Coder-1.5B', 'qwen'],
      ['deepseek-coder-v2', 'deepseek'],
      ['deepseek-coder:6.7b-base', 'deepseek'],
      ['starcoder2', 'starcoder'],
      ['bigcode/starcoder2-3b', 'starcoder'],
      ['codellama:7b-code', 'codellama'],
      ['codestral', 'codestral'],
      ['codestral-latest', 'codestral'],
      ['gpt-4.1-mini', 'chat'],
      ['gpt-5', 'chat'],
      ['o4-mini', 'chat'],
      ['openai/gpt-4o', 'chat'],
      ['claude-sonnet-4', 'chat'],
      ['my-local-model', 'suffix'],
      ['llama3.1:8b', 'suffix'],
    ];
    for (const [model, template] of cases) {
      assert.equal(chooseTemplate(model), template, model);
    }
  });

  it('lets the setting override the choice', () => {
    assert.equal(chooseTemplate('qwen2.5-coder:7b', 'suffix'), 'suffix');
    assert.equal(chooseTemplate('my-local-model', 'chat'), 'chat');
    assert.equal(chooseTemplate('gpt-4.1-mini', 'auto'), 'chat');
  });

  it('spells each fill-in-the-middle format', () => {
    const parts = { prefix: 'P', suffix: 'S' };
    assert.equal(fimPrompt('qwen', parts), '<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>');
    assert.equal(fimPrompt('deepseek', parts), '<｜fim▁begin｜>P<｜fim▁hole｜>S<｜fim▁end｜>');
    assert.equal(fimPrompt('starcoder', parts), '<fim_prefix>P<fim_suffix>S<fim_middle>');
    assert.equal(fimPrompt('codellama', parts), '<PRE> P <SUF>S <MID>');
    assert.equal(fimPrompt('codestral', parts), '[SUFFIX]S[PREFIX]P');
    assert.equal(
      fimPrompt('qwen', { ...parts, repoName: 'app', path: 'src/a.ts', files: [{ path: 'src/b.ts', text: 'export const b = 1;' }] }),
      '<|repo_name|>app\n<|file_sep|>src/b.ts\nexport const b = 1;\n<|file_sep|>src/a.ts\n<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>',
    );
  });

  it('stops at the family end tokens (at most four), and at a newline for one line', () => {
    assert.deepEqual(stopSequences('qwen', false), ['<|endoftext|>', '<|fim_prefix|>', '<|file_sep|>', '<|im_end|>']);
    assert.deepEqual(stopSequences('suffix', true), ['\n']);
    assert.equal(stopSequences('deepseek', true)[0], '\n');
    assert.equal(stopSequences('codestral', true).length, 4);
  });

  describe('request bodies', () => {
    const ctx = cursorContext({ uri: 'file:///w/src/a.ts', languageId: 'typescript', text: 'const a = 1;\nconst b = \n\nexport {};\n', offset: 23, triggerKind: 2 });
    const input = { ctx, model: 'm', path: 'src/a.ts', repoName: 'w', maxLines: 5 };

    it('sends the prefix with the context as comments and the suffix parameter (suffix)', () => {
      const body = buildModelBody({ ...input, template: 'suffix', snippets: [{ path: 'src/b.ts', text: 'export const b = 2;' }] });
      assert.deepEqual(body, {
        kind: 'completions',
        prompt: '// Path: src/b.ts\n// export const b = 2;\n// Path: src/a.ts\nconst a = 1;\nconst b = ',
        suffix: '\n\nexport {};\n',
        stop: [],
        maxTokens: 120,
      });
    });

    it('puts snippets in the repository format for Qwen', () => {
      const body = buildModelBody({ ...input, template: 'qwen', snippets: [{ path: 'src/b.ts', text: 'x' }] });
      assert.equal(body.kind, 'completions');
      assert.ok(body.kind === 'completions' && body.prompt.startsWith('<|repo_name|>w\n<|file_sep|>src/b.ts\nx\n<|file_sep|>src/a.ts\n<|fim_prefix|>const a = 1;'));
      assert.ok(body.kind === 'completions' && body.suffix === undefined);
    });

    it('comments in the file language for other FIM formats', () => {
      const python = cursorContext({ uri: 'file:///w/a.py', languageId: 'python', text: 'x = ', offset: 4, triggerKind: 2 });
      const body = buildModelBody({ ...input, ctx: python, path: 'a.py', template: 'starcoder', snippets: [] });
      assert.ok(body.kind === 'completions' && body.prompt === '<fim_prefix># Path: a.py\nx = <fim_suffix><fim_middle>');
    });

    it('asks a chat model for the missing middle only', () => {
      const body = buildModelBody({ ...input, model: 'gpt-5-mini', template: 'chat', snippets: [] });
      assert.equal(body.kind, 'chat');
      if (body.kind === 'chat') {
        assert.equal(body.reasoningModel, true);
        assert.match(body.messages[0]?.content ?? '', /exactly the text to insert at <CURSOR>/);
        assert.match(body.messages[1]?.content ?? '', /const b = <CURSOR>\n\nexport \{\};/);
      }
      assert.equal(isReasoningModel('gpt-4.1-mini'), false);
      assert.equal(isReasoningModel('o3'), true);
    });
  });
});
