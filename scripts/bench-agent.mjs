#!/usr/bin/env node
// `npm run bench:agent`: the agent loop's figures, each next to its goal. A
// benchmark, not a test: a missed goal is reported, not failed.
//
//   1. Scenario (1) of test/unit/agent (the scripted model fixes the fixture
//      project's failing test: read → patch → npm test → patch → npm test →
//      finish), with the fake client applying edits and running commands:
//      tokens sent per model request, and the service's own wall time per step
//      and per turn (model and client time excluded).
//   2. Prompt size of a one-line question with no rules, in Ask mode (the
//      chat prompt) and in Agent mode (system prompt + tool schemas), with the
//      same token counter (characters / 4 plus a few per message).
//   3. Checkpoint storage for a task touching 20 files of a 10,000-file
//      workspace (test/bench/checkpointBench.ts, plain Node).
//
// Runs the TypeScript sources through tsx: node --import tsx scripts/bench-agent.mjs [--runs N]
import { performance } from 'node:perf_hooks';
import { estimateRequestTokens } from '../src/server/agent/context.ts';
import { agentSystemPrompt, AGENT_TOOLS } from '../src/server/agent/prompt.ts';
import { assemblePrompt } from '../src/server/prompt/assemble.ts';
import { ScriptedModelServer } from '../test/support/modelServer.ts';
import { copyFixture, FakeClient, fixTestsScript, removeDir, runScenario } from '../test/unit/agent/harness.ts';

const GOALS = { askTokens: 1_500, agentTokens: 4_000, stepServiceMs: 50 };
const QUESTION = 'Why does add() return the wrong result?';

function parseArgs(argv) {
  const options = { runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') options.runs = Math.max(1, Number(argv[++i]) || 1);
  }
  return options;
}

const mark = (ok) => (ok ? 'ok  ' : 'MISS');
const fmt = (ms) => `${ms.toFixed(2)} ms`;

async function scenarioOne(server) {
  const root = copyFixture();
  try {
    server.reset();
    server.enqueue(...fixTestsScript());
    const started = performance.now();
    const run = await runScenario(server, { root, task: 'Make the tests pass.', client: new FakeClient(root), activeFile: 'src/math.js' });
    const wallMs = performance.now() - started;
    if (run.result.finishReason !== 'stop') throw new Error(`scenario (1) ended with ${run.result.finishReason}: ${run.result.text}`);
    return { run, wallMs };
  } finally {
    removeDir(root);
  }
}

/**
 * The client's checkpoint store on a 10,000-file workspace with 20 files touched
 * (this was a unit test; the unit layer keeps small workspaces). Goals: one
 * pre-image per touched file plus one manifest per checkpoint (20 + 21 files),
 * under 1 % of the workspace's bytes, nothing proportional to the workspace.
 */
async function checkpointStorage() {
  const { benchmarkCheckpoints } = await import('../test/bench/checkpointBench.ts');
  const r = await benchmarkCheckpoints({ workspaceFiles: 10_000, touchedFiles: 20 });
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  const expectedFiles = r.touchedFiles + (r.touchedFiles + 1);
  const proportional = r.storedBytes <= r.workspaceBytes * ((r.touchedFiles + 2) / r.workspaceFiles) * 1.5;
  return [
    `${r.storedFiles} files, ${kb(r.storedBytes)} stored for ${r.touchedFiles} touched files of ${r.workspaceFiles} (${kb(r.workspaceBytes)} workspace)`,
    `  ${mark(r.storedFiles === expectedFiles)} files stored: ${r.storedFiles} (goal: ${r.touchedFiles} pre-images + ${r.touchedFiles + 1} manifests = ${expectedFiles})`,
    `  ${mark(r.storedBytes < r.workspaceBytes / 100)} bytes stored: ${((100 * r.storedBytes) / r.workspaceBytes).toFixed(2)} % of the workspace (goal < 1 %)`,
    `  ${mark(proportional)} proportional to the touched files only`,
    `  checkpoints ${fmt(r.checkpointMs)}, restore ${fmt(r.restoreMs)}`,
  ].join('\n');
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const server = await ScriptedModelServer.start();
  try {
    // Warm-up (module loading, first spawn), then the measured runs.
    await scenarioOne(server);
    const runs = [];
    for (let i = 0; i < options.runs; i++) runs.push(await scenarioOne(server));
    const last = runs.at(-1).run;

    console.log('Agent benchmark: scenario (1), fix a failing test (scripted model, fake client)\n');
    console.log('Tokens sent per model request: the service\'s estimate incl. tool schemas (the scripted server\'s usage, messages only):');
    const estimates = last.timings.filter((entry) => entry.kind === 'turn').map((entry) => entry.estimatedPromptTokens);
    last.result.promptTokensPerRequest.forEach((tokens, index) => console.log(`  request ${index + 1}: ${String(estimates[index]).padStart(5)}  (${tokens})`));
    console.log(`  total over the task: ${last.result.usage.totalTokens} (prompt ${last.result.usage.promptTokens}, completion ${last.result.usage.completionTokens})`);

    console.log(`\nService's own wall time per step (model and client time excluded), worst of ${options.runs} runs:`);
    const worst = new Map();
    for (const { run } of runs) {
      for (const entry of run.timings) {
        const key = `${entry.kind} ${entry.id}`;
        worst.set(key, Math.max(worst.get(key) ?? 0, entry.serviceMs));
      }
    }
    const titles = new Map(last.finalSteps.map((step) => [`step ${step.id}`, step.title]));
    let maxStep = 0;
    for (const [key, ms] of worst) {
      if (key.startsWith('step')) maxStep = Math.max(maxStep, ms);
      console.log(`  ${key.padEnd(8)} ${fmt(ms).padStart(10)}  ${titles.get(key) ?? (key.startsWith('turn') ? '(prompt, compaction, budget check)' : '')}`);
    }
    console.log(`  ${mark(maxStep < GOALS.stepServiceMs)} slowest step ${fmt(maxStep)} (goal < ${GOALS.stepServiceMs} ms)`);
    const walls = runs.map((r) => r.wallMs);
    console.log(`  whole task wall time (incl. scripted model and npm test): ${fmt(Math.min(...walls))} … ${fmt(Math.max(...walls))}`);

    const ask = assemblePrompt([{ role: 'user', content: QUESTION }], []);
    const askTokens = estimateRequestTokens(ask.messages, []);
    const system = agentSystemPrompt({ root: '/project', policy: 'ask', testCommand: 'npm test', rules: '' });
    const agentTokens = estimateRequestTokens([{ role: 'system', content: system }, { role: 'user', content: QUESTION }], AGENT_TOOLS);
    const schemaTokens = estimateRequestTokens([], AGENT_TOOLS);
    console.log(`\nPrompt for a one-line question, no rules (same counter):`);
    console.log(`  ${mark(askTokens < GOALS.askTokens)} Ask mode:   ${askTokens} tokens (goal < ${GOALS.askTokens})`);
    console.log(`  ${mark(agentTokens < GOALS.agentTokens)} Agent mode: ${agentTokens} tokens (goal < ${GOALS.agentTokens}; tool schemas ${schemaTokens}, system prompt ${estimateRequestTokens([{ role: 'system', content: system }])})`);

    const storage = await checkpointStorage();
    console.log(`\nCheckpoint storage: ${storage}`);
  } finally {
    await server.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
