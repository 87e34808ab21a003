/** The MCP servers the tests start: the reference servers from npm and the deliberately broken one. */
import os from 'node:os';
import path from 'node:path';
import { StdioProcessTransport } from '../../../src/extension/mcp/stdioTransport';

const ROOT = path.resolve(__dirname, '../../..');
export const BROKEN_SERVER = path.join(ROOT, 'test/fixtures/mcp/broken-server.mjs');
export const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
export const FILESYSTEM = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');

/** A Node script as a stdio server, with only PATH (and `env`) in its environment. */
export function nodeServer(args: string[], env: Record<string, string> = {}): StdioProcessTransport {
  return new StdioProcessTransport({ file: process.execPath, args, cwd: os.tmpdir(), env: { PATH: process.env.PATH ?? '', ...env } });
}
