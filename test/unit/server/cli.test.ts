import assert from 'node:assert/strict';
import { parseLspArgs, parseTopLevel } from '../../../src/server/cli';

const known = ['lsp'];

describe('command line', () => {
  it('finds the lsp subcommand and its transport', () => {
    assert.deepEqual(parseTopLevel(['lsp', '--stdio'], known), { kind: 'run', command: 'lsp', args: ['--stdio'] });
    assert.deepEqual(parseLspArgs(['--stdio']), { ok: true, transport: { kind: 'stdio' }, warnings: [] });
  });

  it('handles what vscode-languageclient passes for TransportKind.ipc (args then its own flags)', () => {
    const top = parseTopLevel(['lsp', '--node-ipc', '--clientProcessId=4242'], known);
    assert.deepEqual(top, { kind: 'run', command: 'lsp', args: ['--node-ipc', '--clientProcessId=4242'] });
    assert.deepEqual(parseLspArgs(['--node-ipc', '--clientProcessId=4242']), { ok: true, transport: { kind: 'ipc' }, warnings: [] });
  });

  it('treats bare transport flags (no lsp word, in any order) as lsp', () => {
    assert.deepEqual(parseTopLevel(['--clientProcessId', '77', '--node-ipc'], known), {
      kind: 'run',
      command: 'lsp',
      args: ['--clientProcessId', '77', '--node-ipc'],
    });
    const socket = parseTopLevel(['--socket=5007'], known);
    assert.deepEqual(socket, { kind: 'run', command: 'lsp', args: ['--socket=5007'] });
    assert.deepEqual(parseLspArgs(['--socket=5007']), { ok: true, transport: { kind: 'socket', port: 5007 }, warnings: [] });
    assert.deepEqual(parseLspArgs(['--socket', '5008', '--clientProcessId', '1']), { ok: true, transport: { kind: 'socket', port: 5008 }, warnings: [] });
    assert.deepEqual(parseLspArgs(['--pipe=/tmp/x.sock']), { ok: true, transport: { kind: 'pipe', name: '/tmp/x.sock' }, warnings: [] });
  });

  it('defaults lsp to stdio, warns about unknown or extra flags, rejects bad ports', () => {
    assert.deepEqual(parseLspArgs([]), { ok: true, transport: { kind: 'stdio' }, warnings: [] });
    const extra = parseLspArgs(['--stdio', '--node-ipc', '--verbose']);
    assert.ok(extra.ok);
    assert.equal(extra.transport.kind, 'stdio');
    assert.equal(extra.warnings.length, 2);
    assert.equal(parseLspArgs(['--socket=abc']).ok, false);
    assert.equal(parseLspArgs(['--socket=70000']).ok, false);
    assert.equal(parseLspArgs(['--pipe=']).ok, false);
  });

  it('--version / --help / version / help', () => {
    assert.deepEqual(parseTopLevel(['--version'], known), { kind: 'version' });
    assert.deepEqual(parseTopLevel(['-v'], known), { kind: 'version' });
    assert.deepEqual(parseTopLevel(['version'], known), { kind: 'version' });
    assert.deepEqual(parseTopLevel(['--help'], known), { kind: 'help' });
    assert.deepEqual(parseTopLevel(['help'], known), { kind: 'help' });
    // After the subcommand, --help belongs to the subcommand.
    assert.deepEqual(parseTopLevel(['lsp', '--help'], known), { kind: 'run', command: 'lsp', args: ['--help'] });
  });

  it('unknown subcommand or none at all → usage error', () => {
    assert.deepEqual(parseTopLevel(['serve'], known), { kind: 'usageError', message: 'Unknown command “serve”.' });
    assert.deepEqual(parseTopLevel([], known), { kind: 'usageError', message: 'No command given.' });
    assert.deepEqual(parseTopLevel(['apply-patch', 'x.diff'], [...known, 'apply-patch']), {
      kind: 'run',
      command: 'apply-patch',
      args: ['x.diff'],
    });
  });
});
