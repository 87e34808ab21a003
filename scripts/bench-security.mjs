#!/usr/bin/env node
// `npm run bench:security`: Tandem's promises against inputs nobody on the team
// wrote, as figures (each with its goal). Every figure comes from executing the
// attack for real against the service's code, not from asking the policy:
//   1. hostile commands decided "run without approval" under any policy (goal 0)
//      and benign commands that still run unasked under full-auto with a sandbox;
//   2. hostile commands executed in the real sandbox: writes outside the
//      workspace, secret reads, network escapes (goal 0 each);
//   3. every entry point of the service against a hostile repository (links
//      out, links to secrets, secrets in every case): secret markers found in
//      the captured model requests, files changed outside (goal 0 each);
//   4. the edit mutation corpus: answers applied wrongly, marker lines written
//      into files (goal 0 each);
//   5. hostile regular expressions, globs and SSE streams: the longest stall of
//      the service's event loop (goal < 100 ms).
// Runs the TypeScript sources through tsx: node --import tsx scripts/bench-security.mjs
import { commandPolicyFigures } from '../test/security/figures/commands.ts';
import { editMutationFigures } from '../test/security/figures/edits.ts';
import { patternStallFigures } from '../test/security/figures/patterns.ts';
import { sandboxFigures } from '../test/security/figures/sandbox.ts';
import { secretFigures } from '../test/security/figures/secrets.ts';

const rows = [];
const row = (figure, value, goal, ok) => rows.push({ figure, value: String(value), goal, ok });

async function main() {
  const commands = commandPolicyFigures();
  row(`hostile commands run without approval (of ${commands.commands})`, commands.runWithoutApproval, '0', commands.runWithoutApproval === 0);
  row('deny-listed commands let through (any policy, allowed for the task)', commands.denyBypassed, '0', commands.denyBypassed === 0);
  row('benign commands run unasked (full-auto, sandbox)', `${commands.benignRunUnasked} of ${commands.benign}`, 'all', commands.benignRunUnasked === commands.benign);

  const sandbox = await sandboxFigures();
  row(`writes outside the workspace (${sandbox.commands} hostile commands in the sandbox)`, sandbox.writesOutside, '0', sandbox.writesOutside === 0);
  row('secret files read inside the sandbox', sandbox.secretReads, '0', sandbox.secretReads === 0);
  row('network connections from the sandbox', sandbox.networkEscapes, '0', sandbox.networkEscapes === 0);

  const secrets = await secretFigures();
  const calls = Object.values(secrets.entryPoints).reduce((sum, n) => sum + n, 0);
  row(`secret markers in captured model requests (${calls} calls, ${secrets.modelRequests} requests)`, secrets.leaked.length, '0', secrets.leaked.length === 0);
  row('files changed outside the workspace by the service', secrets.writesOutside.length, '0', secrets.writesOutside.length === 0);

  const edits = editMutationFigures();
  row(`edit answers applied wrongly (mutation corpus, ${edits.cases} cases)`, edits.appliedWrongly, '0', edits.appliedWrongly === 0);
  row('edit-format marker lines written into files', edits.markerLinesWritten, '0', edits.markerLinesWritten === 0);
  row('mutation corpus: applied correctly / refused', `${edits.appliedCorrectly} / ${edits.refused}`, '', true);

  const patterns = await patternStallFigures();
  row(`longest service stall on hostile patterns (${patterns.cases} cases, ${patterns.refused} refused)`, `${patterns.longestStallMs.toFixed(1)} ms`, '< 100 ms', patterns.longestStallMs < 100);

  const width = Math.max(...rows.map((r) => r.figure.length));
  console.log('\nTandem security figures\n');
  for (const r of rows) {
    console.log(`${r.figure.padEnd(width)}  ${r.value.padStart(12)}  ${r.goal ? `goal ${r.goal}` : ''}${r.goal && !r.ok ? '  MISSED' : ''}`);
  }
  const missed = rows.filter((r) => r.goal && !r.ok).length;
  console.log(missed === 0 ? '\nEvery goal met.' : `\n${missed} goal(s) missed.`);
  console.log(`Entry points of the service exercised: ${Object.entries(secrets.entryPoints).map(([name, n]) => `${name} ${n}`).join(', ')}.`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
