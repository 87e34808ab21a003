/**
 * The longest stall of the service's event loop on hostile patterns, for
 * `npm run bench:security` (goal: under 100 ms). Every case runs through the
 * service's own code: search_text with catastrophic regular expressions on
 * pathological lines and on this repository's sources, refused patterns,
 * find_files / search_text / ignore files with hostile globs, and chat
 * streams with long, unterminated and oversized events from a server in
 * another thread (so its writing is not counted as our stall).
 *
 * The stall of a case is the longest gap between two turns of the event loop
 * while it runs, seen by a setImmediate heartbeat; that is what completions,
 * chat and Stop would wait for.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AgentWorkspace } from '../../../src/server/agent/workspace';
import { streamChat } from '../../../src/server/providers/openaiChat';
import { MAX_EVENT_BYTES } from '../../../src/server/providers/sseGuard';
import { IgnoreRules, parseIgnore } from '../../../src/shared/boundary/ignore';
import { caseFile, HOSTILE_REGEXES, makeWorkspace, refusedRegexes, removeWorkspace } from '../hostilePatterns';
import { longEventReply, unterminatedReply } from '../hostileStreams';

export interface StallGroup {
  cases: number;
  longestStallMs: number;
  worstCase: string;
}

export interface PatternStallFigures {
  cases: number;
  longestStallMs: number;
  /** Patterns refused (they cannot run in linear time or would be too large), a subset of cases. */
  refused: number;
  worstCase: string;
  groups: { regex: StallGroup; glob: StallGroup; stream: StallGroup };
  /** The five longest stalls, for finding what to fix. */
  slowest: Array<{ name: string; ms: number }>;
  /**
   * search_text over this repository, an ordinary pattern and the hostile ones (the walk
   * hands the event loop back every 10 ms). Not counted above: it depends on the checkout.
   * Undefined when not run from the repository root.
   */
  repository?: { ordinaryPatternMs: number; hostilePatternsMs: number };
}

/** `npm run bench:security` runs from the repository root. (__dirname is not reliable here: through tsx, an ES module importer can change it.) */
const REPOSITORY = process.cwd();

/** Longest gap between event-loop turns while `run` runs. */
async function stallOf(run: () => unknown): Promise<number> {
  let last = performance.now();
  let longest = 0;
  let beating = true;
  const beat = (): void => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (beating) setImmediate(beat);
  };
  setImmediate(beat);
  await new Promise<void>((resolve) => setImmediate(resolve));
  last = performance.now();
  try {
    await run();
  } finally {
    beating = false;
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
  return Math.max(longest, performance.now() - last);
}

class Tally {
  readonly groups = {
    regex: { cases: 0, longestStallMs: 0, worstCase: '' },
    glob: { cases: 0, longestStallMs: 0, worstCase: '' },
    stream: { cases: 0, longestStallMs: 0, worstCase: '' },
  };
  refused = 0;
  readonly all: Array<{ name: string; ms: number }> = [];

  async measure(group: keyof Tally['groups'], name: string, run: () => unknown): Promise<void> {
    const stall = await stallOf(run);
    this.all.push({ name, ms: Math.round(stall * 10) / 10 });
    const tally = this.groups[group];
    tally.cases += 1;
    if (stall > tally.longestStallMs) {
      tally.longestStallMs = stall;
      tally.worstCase = name;
    }
  }
}

async function regexCases(tally: Tally): Promise<void> {
  const files = Object.fromEntries(HOSTILE_REGEXES.map((entry, i) => [`case${i}.txt`, caseFile(entry).text]));
  const root = makeWorkspace(files);
  try {
    const ws = new AgentWorkspace(root);
    for (const [i, entry] of HOSTILE_REGEXES.entries()) {
      await tally.measure('regex', `search_text ${entry.pattern} on lines of up to ${caseFile(entry).lines.at(-1)?.text.length} characters`, () => ws.searchText({ pattern: entry.pattern, glob: `case${i}.txt` }));
    }
    for (const { pattern } of refusedRegexes()) {
      await tally.measure('regex', `search_text refusing ${pattern.slice(0, 40)}`, async () => {
        if (!(await ws.searchText({ pattern })).ok) tally.refused += 1;
      });
    }
  } finally {
    removeWorkspace(root);
  }
}

/** The same patterns over real code, this repository, beside an ordinary pattern: what the pattern adds to the walk. */
async function repositoryCases(): Promise<PatternStallFigures['repository']> {
  if (!existsSync(path.join(REPOSITORY, 'src/server/agent/workspace.ts'))) return undefined;
  const repository = new AgentWorkspace(REPOSITORY);
  await repository.searchText({ pattern: 'warm the file cache' });
  const ordinaryPatternMs = await stallOf(() => repository.searchText({ pattern: 'createClient\\(' }));
  let hostilePatternsMs = 0;
  for (const entry of HOSTILE_REGEXES) hostilePatternsMs = Math.max(hostilePatternsMs, await stallOf(() => repository.searchText({ pattern: entry.pattern })));
  return { ordinaryPatternMs, hostilePatternsMs };
}

async function globCases(tally: Tally): Promise<void> {
  const names = Array.from({ length: 5 }, (_, i) => `src/components/forms/inputs/field-${i}-with-a-label.ts`);
  const root = makeWorkspace({ ...Object.fromEntries(names.map((name) => [name, 'needle\n'])), [`${'d/'.repeat(40)}x.ts`]: 'needle\n' });
  const hostileGlobs: Array<[string, string]> = [
    ['**/ × 1,300', `${'**/'.repeat(1300)}x.ts`],
    ['*a × 2,000', `${'*a'.repeat(2000)}*b`],
    ['256 brace alternatives', `${'{a,b}'.repeat(8)}.ts`],
    ['513 brace alternatives (read literally)', `${'{a,b}'.repeat(9)}.ts`],
    ['nested braces 200 deep', `${'{x,'.repeat(200)}y${'}'.repeat(200)}.ts`],
    ['d/**/ × 40', `${'d/**/'.repeat(40)}x.ts`],
    ['256 brace alternatives of a 3,800-character glob', `${'{a,b}'.repeat(8)}${'*a'.repeat(1900)}`],
  ];
  try {
    const ws = new AgentWorkspace(root);
    for (const [name, glob] of hostileGlobs) {
      await tally.measure('glob', `find_files ${name}`, () => ws.findFiles({ glob }));
      await tally.measure('glob', `search_text with glob ${name}`, () => ws.searchText({ pattern: 'needle', glob }));
    }
  } finally {
    removeWorkspace(root);
  }
  // A repository whose folders nest 200 deep (a 400-character path): the walk alone.
  const deep = makeWorkspace({ [`${'d/'.repeat(200)}x.ts`]: 'needle\n' });
  try {
    const ws = new AgentWorkspace(deep);
    await tally.measure('glob', 'find_files **/*.ts in folders nested 200 deep', () => ws.findFiles({ glob: '**/*.ts' }));
  } finally {
    removeWorkspace(deep);
  }
  // Ignore files from a hostile repository.
  const ignoreCases: Array<[string, string]> = [
    ['64 rules of *a × 2,000', Array.from({ length: 64 }, (_, i) => `${'*a'.repeat(2000)}*${i}`).join('\n')],
    ['**/ × 1,300 rules', Array.from({ length: 64 }, () => `${'**/'.repeat(1300)}*.log`).join('\n')],
    ['a line with 60,000 inner spaces', `a${' '.repeat(60_000)}b\n`],
    ['a folder rule with 60,000 inner slashes', `a${'/'.repeat(60_000)}b/\n`],
  ];
  for (const [name, text] of ignoreCases) {
    const repo = makeWorkspace({ '.gitignore': text, ...Object.fromEntries(names.map((file) => [file, ''])) });
    try {
      await tally.measure('glob', `.gitignore ${name}: parse`, () => parseIgnore(text));
      const rules = new IgnoreRules(repo);
      await tally.measure('glob', `.gitignore ${name}: ${names.length} paths`, () => names.forEach((name) => rules.isIgnored(name)));
    } finally {
      removeWorkspace(repo);
    }
  }
}

/** A server in another thread that writes `body` in pieces of `piece` bytes, as hostileStreams.ts's server does. */
const SERVER = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const body = Buffer.from(workerData.body, 'utf8');
const server = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.socket.setNoDelay(true);
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    let offset = 0;
    const more = () => {
      for (let burst = 0; burst < 64 && offset < body.length; burst++) {
        const piece = body.subarray(offset, offset + workerData.piece);
        offset += piece.length;
        if (!response.write(piece)) return response.once('drain', more);
      }
      if (offset < body.length) setImmediate(more);
      else response.end();
    };
    response.on('close', () => (offset = body.length));
    more();
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

async function streamCase(tally: Tally, name: string, body: string, piece: number): Promise<void> {
  const worker = new Worker(SERVER, { eval: true, workerData: { body, piece } });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const request = { baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: '', model: 'm', messages: [{ role: 'user' as const, content: 'hi' }], timeoutSeconds: 60 };
    await tally.measure('stream', name, () => streamChat(request, new AbortController().signal, () => undefined).catch(() => undefined));
  } finally {
    await worker.terminate();
  }
}

async function streamCases(tally: Tally): Promise<void> {
  await streamCase(tally, 'a 3 MiB event in 16-byte writes', longEventReply(3 * 1024 * 1024), 16);
  await streamCase(tally, 'a 512 KiB event in 1-byte writes', longEventReply(512 * 1024), 1);
  await streamCase(tally, `an event just under the ${MAX_EVENT_BYTES / (1024 * 1024)} MiB cap`, longEventReply(MAX_EVENT_BYTES - 1024), 64 * 1024);
  await streamCase(tally, 'an unterminated line past the cap', unterminatedReply(MAX_EVENT_BYTES + 64 * 1024), 4096);
  await streamCase(tally, '200,000 keep-alive comments', `${': keep-alive\n\n'.repeat(200_000)}${longEventReply(10)}`, 1500);
}

export async function patternStallFigures(): Promise<PatternStallFigures> {
  const tally = new Tally();
  await regexCases(tally);
  await globCases(tally);
  await streamCases(tally);
  const repository = await repositoryCases();
  const groups = Object.values(tally.groups);
  const worst = groups.reduce((a, b) => (b.longestStallMs > a.longestStallMs ? b : a));
  return {
    cases: groups.reduce((sum, group) => sum + group.cases, 0),
    longestStallMs: worst.longestStallMs,
    refused: tally.refused,
    worstCase: worst.worstCase,
    groups: tally.groups,
    slowest: [...tally.all].sort((a, b) => b.ms - a.ms).slice(0, 5),
    ...(repository ? { repository } : {}),
  };
}
