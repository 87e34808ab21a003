import assert from 'node:assert/strict';
import { approvalKey, startState, CONFIG_LIMITS, inputsUsed, isRefusedEnv, mergeConfigs, parseMcpConfig, parseMcpJson, stripJsonComments, substitute, type McpServerConfig } from '../../../src/extension/mcp/config';

const stdio = (entry: Record<string, unknown>): unknown => ({ servers: { s: { type: 'stdio', command: 'node', ...entry } } });

describe('MCP configuration (.vscode/mcp.json and tandem.mcp.servers)', () => {
  it('reads VS Code\'s format: stdio and http servers, inputs, comments and trailing commas', () => {
    const text = `{
      // a comment with "quotes" and a // inside
      "inputs": [{ "type": "promptString", "id": "token", "description": "API token", "password": true }],
      "servers": {
        "files": { "type": "stdio", "command": "npx", "args": ["-y", "server-filesystem", "\${workspaceFolder}"], "env": { "LOG": "1" }, },
        /* block */ "remote": { "type": "http", "url": "https://mcp.example.com/mcp", "headers": { "Authorization": "Bearer \${input:token}" } },
        "legacy": { "url": "http://127.0.0.1:3001/sse", "type": "sse" },
        "implicit": { "command": "my-server", "args": ["a // not a comment"] },
      },
    }`;
    const config = parseMcpJson(text, 'workspace');
    assert.deepEqual(config.problems, []);
    assert.deepEqual(config.servers.map((server) => [server.name, server.type]), [['files', 'stdio'], ['remote', 'http'], ['legacy', 'sse'], ['implicit', 'stdio']]);
    const implicit = config.servers[3] as Extract<McpServerConfig, { type: 'stdio' }>;
    assert.deepEqual(implicit.args, ['a // not a comment']);
    assert.deepEqual(config.inputs, [{ source: 'workspace', id: 'token', description: 'API token', password: true }]);
    assert.deepEqual(inputsUsed(config.servers[1] as McpServerConfig), ['token']);
  });

  it('refuses every environment variable that changes what a repository\'s server runs, in any case, and allows it in the person\'s settings', () => {
    const dangerous = ['PATH', 'LD_PRELOAD', 'ld_preload', 'LD_AUDIT', 'DYLD_INSERT_LIBRARIES', 'NODE_OPTIONS', 'node_options', 'PYTHONPATH', 'PYTHONSTARTUP', 'BASH_ENV', 'PERL5OPT', 'RUBYOPT', 'JAVA_TOOL_OPTIONS', 'GIT_CONFIG_COUNT', 'GIT_SSH_COMMAND', 'BASH_FUNC_x%%', 'HOME', 'HTTPS_PROXY'];
    for (const name of dangerous) {
      const workspace = parseMcpConfig(stdio({ env: { [name]: '/tmp/evil.so' } }), 'workspace');
      assert.equal(workspace.servers.length, 0, `${name} was accepted from a repository`);
      assert.match(workspace.problems.join('\n'), /server s:/);
    }
    for (const name of dangerous.filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n))) {
      assert.equal(parseMcpConfig(stdio({ env: { [name]: 'x' } }), 'user').servers.length, 1, `${name} refused in the person's own settings`);
      assert.ok(isRefusedEnv(name));
    }
    for (const harmless of ['LOG_LEVEL', 'API_BASE', 'DEBUG', 'MY_PATH_PREFIX']) {
      assert.equal(parseMcpConfig(stdio({ env: { [harmless]: '1' } }), 'workspace').servers.length, 1, harmless);
    }
  });

  it('refuses wrong types in every field of a server, and keeps the well-formed servers next to them', () => {
    const wrong: unknown[] = [null, 0, 1.5, true, 'text', [], ['a', 1], { a: 1 }, { nested: { deep: true } }];
    const fields = ['command', 'args', 'env', 'cwd', 'type'];
    let cases = 0;
    for (const field of fields) {
      for (const value of wrong) {
        if ((field === 'command' || field === 'cwd') && typeof value === 'string') continue;
        if (field === 'env' && (value === null || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0))) continue;
        const config = parseMcpConfig({ servers: { good: { command: 'ok' }, bad: { type: 'stdio', command: 'node', [field]: value } } }, 'workspace');
        if (field === 'args' && Array.isArray(value) && value.every((item) => typeof item === 'string')) continue;
        assert.deepEqual(config.servers.map((server) => server.name), ['good'], `${field}=${JSON.stringify(value)}`);
        assert.equal(config.problems.length, 1);
        cases += 1;
      }
    }
    for (const value of wrong) {
      const config = parseMcpConfig({ servers: { bad: { type: 'http', url: 'https://x.example', headers: value } } }, 'workspace');
      if (value === null) continue;
      assert.equal(config.servers.length, 0, `headers=${JSON.stringify(value)}`);
      cases += 1;
    }
    assert.ok(cases > 40);
    for (const top of wrong) assert.equal(parseMcpConfig(top, 'workspace').servers.length, 0);
    assert.equal(parseMcpConfig({ servers: wrong }, 'workspace').servers.length, 0);
  });

  it('never lets a key reach a prototype: __proto__, constructor and prototype as server names, env or header names', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const asName = parseMcpJson(`{"servers": {"${key}": {"command": "x"}, "ok": {"command": "y"}}}`, 'workspace');
      assert.deepEqual(asName.servers.map((server) => server.name), ['ok'], key);
      const inEnv = parseMcpJson(`{"servers": {"s": {"command": "x", "env": {"${key}": "v"}}}}`, 'workspace');
      assert.equal(inEnv.servers.length, 0);
      const inHeaders = parseMcpJson(`{"servers": {"s": {"type": "http", "url": "https://a.example", "headers": {"${key}": "v"}}}}`, 'workspace');
      assert.equal(inHeaders.servers.length, 0);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const config = parseMcpJson('{"servers": {"s": {"command": "x", "env": {"A": "1"}}}}', 'user');
    const server = config.servers[0] as Extract<McpServerConfig, { type: 'stdio' }>;
    assert.equal(Object.getPrototypeOf(server.env), null);
  });

  it('refuses huge files, too many servers, long values and control characters without reading further', () => {
    const huge = `{"servers": {"s": {"command": "x", "args": ["${'a'.repeat(CONFIG_LIMITS.fileBytes)}"]}}}`;
    const result = parseMcpJson(huge, 'workspace');
    assert.equal(result.servers.length, 0);
    assert.match(result.problems[0] ?? '', /larger than/);
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`s${i}`, { command: 'x' }]));
    assert.equal(parseMcpConfig({ servers: many }, 'workspace').servers.length, CONFIG_LIMITS.servers);
    for (const bad of [{ command: 'a\nb' }, { command: 'x'.repeat(5_000) }, { command: '' }, { command: '   ' }, { command: 'x', args: Array(300).fill('a') }, { command: 'x', args: ['a\u0000b'] }, { command: '${input:x}' }]) {
      assert.equal(parseMcpConfig({ servers: { s: bad } }, 'workspace').servers.length, 0, JSON.stringify(bad).slice(0, 80));
    }
    for (const name of ['', 'a'.repeat(65), 'bad\nname', 'tab\there']) {
      assert.equal(parseMcpConfig({ servers: { [name]: { command: 'x' } } }, 'workspace').servers.length, 0, JSON.stringify(name));
    }
    assert.match(parseMcpJson('{"servers": {', 'workspace').problems[0] ?? '', /not valid JSON/);
  });

  it('takes only http(s) URLs without credentials, and header values without control characters', () => {
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'ftp://x.example', 'https://user:pass@x.example/mcp', 'not a url', 'https://x.example/${input:a}']) {
      assert.equal(parseMcpConfig({ servers: { s: { type: 'http', url } } }, 'workspace').servers.length, 0, url);
    }
    assert.equal(parseMcpConfig({ servers: { s: { type: 'http', url: 'https://x.example', headers: { 'X-A': 'a\r\nInjected: 1' } } } }, 'workspace').servers.length, 0);
    assert.equal(parseMcpConfig({ servers: { s: { type: 'http', url: 'https://x.example', headers: { 'Bad Header': 'a' } } } }, 'workspace').servers.length, 0);
  });

  it('supports ${workspaceFolder} and declared ${input:…}; a repository gets no ${env:…} and no unknown variable', () => {
    assert.equal(parseMcpConfig(stdio({ args: ['${input:missing}'] }), 'workspace').servers.length, 0);
    assert.equal(parseMcpConfig(stdio({ env: { TOKEN: '${env:GITHUB_TOKEN}' } }), 'workspace').servers.length, 0);
    assert.equal(parseMcpConfig(stdio({ env: { TOKEN: '${env:GITHUB_TOKEN}' } }), 'user').servers.length, 1);
    assert.equal(parseMcpConfig(stdio({ args: ['${command:workbench.action.x}'] }), 'user').servers.length, 0);
    assert.equal(parseMcpConfig({ inputs: [{ type: 'pickString', id: 'a' }], servers: {} }, 'workspace').inputs.length, 0);
    assert.equal(substitute('${workspaceFolder}/x ${input:a}', '/ws', new Map([['a', 'v']])), '/ws/x v');
    assert.equal(substitute('${input:a}', '/ws', new Map()), undefined);
  });

  it('keeps the person\'s server over the repository\'s of the same name, and inputs apart by source', () => {
    const user = parseMcpConfig({ servers: { github: { command: 'official' } }, inputs: [{ type: 'promptString', id: 'token' }] }, 'user');
    const workspace = parseMcpConfig({ servers: { github: { command: 'evil' }, other: { command: 'x' } }, inputs: [{ type: 'promptString', id: 'token' }] }, 'workspace');
    const merged = mergeConfigs(user, workspace);
    assert.deepEqual(merged.servers.map((server) => [server.name, server.source]), [['github', 'user'], ['other', 'workspace']]);
    assert.equal((merged.servers[0] as Extract<McpServerConfig, { type: 'stdio' }>).command, 'official');
    assert.deepEqual(merged.inputs.map((input) => input.source), ['user', 'workspace']);
    assert.match(merged.problems.join('\n'), /github is also in your settings/);
  });

  it('asks again when anything that decides what runs changes (approval key), not when only the order of variables does', () => {
    const base = { name: 's', source: 'workspace' as const, type: 'stdio' as const, command: 'node', args: ['a'], env: { A: '1', B: '2' } };
    const key = approvalKey(base);
    assert.equal(approvalKey({ ...base, env: { B: '2', A: '1' } }), key);
    const changes: Array<Partial<Extract<McpServerConfig, { type: 'stdio' }>>> = [{ command: 'nodejs' }, { args: ['a', 'b'] }, { args: ['b'] }, { env: { A: '1', B: '3' } }, { env: { A: '1' } }, { cwd: 'sub' }, { name: 't' }];
    for (const changed of changes) {
      assert.notEqual(approvalKey({ ...base, ...changed }), key, JSON.stringify(changed));
    }
  });

  it('strips comments but never inside strings (mutated quotes and escapes)', () => {
    const samples = ['{"a": "// x"}', '{"a": "/* y */"}', '{"a": "\\" // z"}', '{"a": 1 /* c */, "b": [1, 2,], }', '{"url": "http://x.example//y"}'];
    for (const sample of samples) assert.doesNotThrow(() => JSON.parse(stripJsonComments(sample)), sample);
    assert.deepEqual(JSON.parse(stripJsonComments('{"a": "\\" // z"}')), { a: '" // z' });
  });

  it('starts a repository\'s server only in a trusted workspace, approved as it is now, and not disabled; the person\'s own unless disabled', () => {
    const repo: McpServerConfig = { name: 'repo', source: 'workspace', type: 'stdio', command: 'node', args: ['server.js'], env: {} };
    const own: McpServerConfig = { ...repo, name: 'own', source: 'user' };
    const approvedNow = approvalKey(repo);
    const approvedBefore = approvalKey({ ...repo, args: ['old.js'] });
    const approvals: string[][] = [[], [approvedNow], [approvedBefore], [approvalKey({ ...repo, name: 'other' })]];
    for (const trusted of [true, false]) {
      for (const approved of approvals) {
        for (const disabled of [[], ['repo'], ['own']] as string[][]) {
          const context = { trusted, approved: new Set(approved), disabled: new Set(disabled) };
          const state = startState(repo, context);
          const starts = trusted && approved.includes(approvedNow) && !disabled.includes('repo');
          assert.equal(state === 'stopped', starts, JSON.stringify({ trusted, approved, disabled, state }));
          if (!trusted && !disabled.includes('repo')) assert.equal(state, 'blocked');
          assert.equal(startState(own, context), disabled.includes('own') ? 'disabled' : 'stopped');
        }
      }
    }
  });
});
