/**
 * Nothing reaches a model around the data boundary, also what is added
 * later: the code that sends contents over HTTP is used only by the places
 * that pass the data boundary first (test/security/dataBoundary.test.ts
 * drives each of them with fake secrets). A new caller fails here until it
 * is routed through the boundary (CONTRIBUTING.md, "Send something new to a
 * model") and added below.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SERVER = path.resolve(__dirname, '../../../src/server');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** Files (relative to src/server) that mention `pattern` outside comments. */
function usersOf(pattern: RegExp): string[] {
  return sources(SERVER)
    .filter((file) => pattern.test(readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '')))
    .map((file) => path.relative(SERVER, file).split(path.sep).join('/'))
    .sort();
}

describe('data boundary: every sender of contents is behind it', () => {
  it('only the known senders build an HTTP client for a model', () => {
    assert.deepEqual(usersOf(/\bcreateClient\(/), [
      'agent/modelTurn.ts', // an agent turn: sent by agentLoop.ts after outgoing.messages()
      'completions/backend.ts', // a completion: sent by engine.ts after clearBody()
      'providers/client.ts', // the definition
      'providers/embeddings.ts', // chunks and questions: sent by services/codebase/embedder.ts after outgoing.text()
      'providers/models.ts', // GET /models: no contents
      'providers/openaiChat.ts', // chat and edits: sent by services/modelAnswer.ts after outgoing.messages()
    ]);
  });

  it('each sender is called only from the module that opened the request on the boundary', () => {
    // server.ts only routes: the features call what it hands them after the boundary (the built-in model's requests never leave the process).
    assert.deepEqual(usersOf(/\bstreamChat\b/), ['providers/openaiChat.ts', 'server.ts', 'services/modelAnswer.ts']);
    assert.deepEqual(usersOf(/\bembedTexts\b/), ['providers/embeddings.ts', 'services/codebase/embedder.ts']);
    assert.deepEqual(usersOf(/\bstreamTurn\b/), ['agent/agentLoop.ts', 'agent/modelTurn.ts', 'server.ts']);
    assert.deepEqual(usersOf(/\bhttpCallModel\b|from '\.\/backend'[^;]*\bcallModel\b/), ['completions/engine.ts']);
    assert.deepEqual(usersOf(/\bstreamAnswer\(/), [
      'chat/chatRunner.ts',
      'chat/commitMessage.ts', // staged diffs: refusePath per file, then redacted (test/security/commitMessage.test.ts)
      'propose/proposeEdit.ts',
      'services/modelAnswer.ts',
    ]);
  });

  it('the places that send open the request on the boundary first', () => {
    for (const file of ['services/modelAnswer.ts', 'agent/agentLoop.ts', 'completions/engine.ts']) {
      const text = readFileSync(path.join(SERVER, file), 'utf8');
      assert.match(text, /\.open\('(?:agent|completion)'|\.open\(request\.purpose/, `${file} does not open an outgoing request`);
    }
  });
});
