/**
 * The MCP tool call round trip (for `bench:context`, issue 14's figures):
 * one call of a tool that does no work (the fixture server's `shout`), so
 * what is measured is Tandem's and the SDK's overhead — JSON-RPC over
 * stdio, the client's checks, the result flattened to text — not the
 * server's own work. Plain, and in the bubblewrap sandbox as a repository's
 * server runs (Linux only), p50/p95 over `runs` calls after a warm-up.
 * Also: how long a server takes to start and list its tools.
 */
import { realpathSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SandboxDetector } from '../../src/extension/agent/sandbox/detect';
import { McpConnection } from '../../src/extension/mcp/connection';
import { serverLaunch } from '../../src/extension/mcp/launch';
import { StdioProcessTransport, type ServerProcessSpec } from '../../src/extension/mcp/stdioTransport';

const FIXTURE = path.resolve(__dirname, '../fixtures/mcp/broken-server.mjs');

export interface RoundTripFigures {
  label: string;
  startMs: number;
  p50Ms: number;
  p95Ms: number;
  runs: number;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function measureSpec(label: string, spec: ServerProcessSpec, runs: number): Promise<RoundTripFigures> {
  const connection = new McpConnection(label);
  const started = performance.now();
  await connection.start(new StdioProcessTransport(spec));
  const startMs = performance.now() - started;
  if (connection.state !== 'ready') throw new Error(`${label}: ${connection.error ?? connection.state}`);
  try {
    for (let i = 0; i < 20; i += 1) await connection.call('shout', { text: 'warm' }, { timeoutMs: 10_000 });
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const t = performance.now();
      const outcome = await connection.call('shout', { text: `call ${i}` }, { timeoutMs: 10_000 });
      times.push(performance.now() - t);
      if (outcome.error) throw new Error(outcome.error);
    }
    times.sort((a, b) => a - b);
    return { label, startMs, p50Ms: quantile(times, 0.5), p95Ms: quantile(times, 0.95), runs };
  } finally {
    await connection.stop();
  }
}

export async function measureMcpRoundTrip(runs = 300): Promise<RoundTripFigures[]> {
  const rows = [await measureSpec('stdio, not sandboxed', { file: process.execPath, args: [FIXTURE, 'ok'], cwd: os.tmpdir(), env: { PATH: process.env.PATH ?? '' } }, runs)];
  const status = await new SandboxDetector().detect();
  if (status.kind !== 'none') {
    const workspace = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'tandem-mcp-bench-')));
    try {
      const launch = await serverLaunch(
        { name: 'bench', source: 'workspace', type: 'stdio', command: process.execPath, args: [FIXTURE, 'ok'], env: {} },
        { workspace, sandbox: status, network: false, inputs: new Map() },
      );
      rows.push(await measureSpec(`stdio, in the ${status.kind} sandbox`, launch.spec, runs));
      await launch.dispose();
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  void measureMcpRoundTrip(Number(process.argv[2] ?? 300)).then((rows) => {
    for (const row of rows) console.log(`MCP round trip, ${row.label}: start + tool list ${row.startMs.toFixed(0)} ms; call p50 ${row.p50Ms.toFixed(2)} ms, p95 ${row.p95Ms.toFixed(2)} ms (${row.runs} calls)`);
  });
}
