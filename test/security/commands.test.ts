import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseScript } from '../../src/server/services/commands/parse';
import { decideCommand, programsToAllow } from '../../src/server/services/commands/policy';
import { BENIGN, createCommandWorkspace, expected, HOSTILE_BASE, hostileCommands, policyInput, POLICY_CASES, type CommandWorkspace, type HostileCommand } from './hostileCommands';

const CLASSES = [
  'control characters',
  'redirections',
  'substitutions',
  'environment prefixes',
  'options that change what runs',
  'reads of secrets and outside paths',
  'wrappers',
  'quoting and deny-list evasion',
  'here-documents',
  'background jobs and compound commands',
  'very long or deep input',
  'unreadable syntax',
];

describe('command policy against hostile commands', function () {
  this.timeout(120_000);
  let ws!: CommandWorkspace;
  before(() => (ws = createCommandWorkspace()));
  after(() => ws.dispose());

  const show = (command: string): string => JSON.stringify(command.length > 80 ? `${command.slice(0, 77)}…` : command);

  it('the table holds at least 200 hostile commands in every class, plus generated mutations', () => {
    assert.ok(HOSTILE_BASE.length >= 200, `${HOSTILE_BASE.length} base entries`);
    for (const klass of CLASSES) assert.ok(HOSTILE_BASE.filter((entry) => entry.class === klass).length >= 5, klass);
    assert.deepEqual([...new Set(HOSTILE_BASE.map((entry) => entry.class))].sort(), [...CLASSES].sort());
    assert.ok(hostileCommands().length > HOSTILE_BASE.length * 3);
  });

  for (const klass of CLASSES) {
    it(`${klass}: each entry and its mutations get the expected decision under every policy, with a reason`, () => {
      const wrong = new Map<string, string[]>();
      for (const entry of hostileCommands().filter((candidate: HostileCommand) => candidate.class === klass)) {
        for (const policy of POLICY_CASES) {
          const decision = decideCommand(entry.command, policyInput(policy, entry.command, ws.boundary, entry.program));
          const want = expected(entry, policy);
          const problem = decision.action !== want ? `${decision.action}, expected ${want}${'reason' in decision ? ` (${decision.reason})` : ''}` : decision.reason.trim().length < 10 ? 'no reason given' : undefined;
          if (!problem) continue;
          const key = `${show(entry.command)}${entry.mutation ? ` [${entry.mutation}]` : ''}: ${problem}`;
          wrong.set(key, [...(wrong.get(key) ?? []), policy]);
        }
      }
      assert.deepEqual([...wrong].map(([key, policies]) => `${key} — under ${policies.join(', ')}`), []);
    });
  }

  it('no hostile command runs without approval under any policy', () => {
    const ran = hostileCommands().flatMap((entry) => POLICY_CASES.filter((policy) => decideCommand(entry.command, policyInput(policy, entry.command, ws.boundary, entry.program)).action === 'run').map((policy) => `${show(entry.command)} under ${policy}`));
    assert.deepEqual(ran, []);
  });

  it('pathological inputs are decided (never run), in linear time', () => {
    const inputs = [
      '"'.repeat(16_000),
      "'".repeat(15_999),
      '$('.repeat(8_000),
      '\\'.repeat(16_000),
      '${'.repeat(8_000),
      '['.repeat(16_000),
      '{'.repeat(16_000),
      '`'.repeat(16_000),
      '<<'.repeat(8_000),
      'a=1 '.repeat(4_000),
      '|'.repeat(16_000),
      '; '.repeat(8_000),
      '$((' .repeat(5_000),
      `${'-'.repeat(16_000)}`,
      `ls ${'*'.repeat(16_000)}`,
      `case x in ${'a|'.repeat(5_000)}a) ;; esac`,
      `cat ${'<<E '.repeat(3_000)}\n`,
      `echo ${"$'\\x41".repeat(2_000)}'`,
      `git ${'-c a=b '.repeat(2_000)}push`,
      `${'env '.repeat(3_000)}ls`,
    ];
    for (const command of inputs) {
      for (const policy of POLICY_CASES) {
        assert.notEqual(decideCommand(command, policyInput(policy, command, ws.boundary)).action, 'run', `${show(command)} under ${policy}`);
      }
    }
  });
});

describe('command policy for benign commands', function () {
  this.timeout(120_000);
  let ws!: CommandWorkspace;
  before(() => (ws = createCommandWorkspace()));
  after(() => ws.dispose());

  it('each runs without asking under full-auto with a sandbox, and under any policy once its programs are allowed for the task', () => {
    const wrong: string[] = [];
    for (const command of BENIGN) {
      for (const policy of ['full-auto', 'allowed for this task'] as const) {
        const decision = decideCommand(command, policyInput(policy, command, ws.boundary));
        if (decision.action !== 'run') wrong.push(`${JSON.stringify(command)} under ${policy}: ${decision.action} — ${'reason' in decision ? decision.reason : ''}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('each asks under ask, auto-edit, and full-auto without a sandbox (saying there is none)', () => {
    for (const command of BENIGN) {
      for (const policy of ['ask', 'auto-edit', 'full-auto without sandbox'] as const) {
        const decision = decideCommand(command, policyInput(policy, command, ws.boundary));
        assert.equal(decision.action, 'ask', `${JSON.stringify(command)} under ${policy}`);
        if (policy === 'full-auto without sandbox') assert.match(decision.action === 'ask' ? decision.reason : '', /No OS sandbox is available \(bwrap is not installed\)/);
      }
    }
  });

  it('what the policy checked is exactly what bash runs: the same programs with the same arguments', function () {
    let bash = '';
    try {
      bash = execFileSync('/bin/sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim();
    } catch {
      this.skip();
    }
    const out = mkdtempSync(path.join(os.tmpdir(), 'tandem-argv-'));
    try {
      for (const [index, command] of BENIGN.entries()) {
        const expectedRecords = topLevelCommands(command).map((words) => words.join('\0'));
        const programs = [...new Set(topLevelCommands(command).map((words) => words[0] ?? ''))];
        // Each program is a shell function that records its argv (one file per process: pipelines run side by side).
        // Nothing real runs: PATH is empty.
        const records = path.join(out, String(index));
        mkdirSync(records);
        const functions = programs.map((name) => `${name}() { printf '%s\\0' ${shellQuote(name)} "$@" >> "$RECORDS/$BASHPID"; printf '\\036' >> "$RECORDS/$BASHPID"; }`).join('\n');
        execFileSync(bash, ['-c', `${functions}\n${command}`], { cwd: ws.root, env: { PATH: '/nonexistent', RECORDS: records }, stdio: 'ignore' });
        const seen = readdirSync(records)
          .flatMap((file) => readFileSync(path.join(records, file), 'utf8').split('\x1e'))
          .filter(Boolean)
          .map((entry) => entry.replace(/\0$/, ''));
        assert.deepEqual([...seen].sort(), [...expectedRecords].sort(), JSON.stringify(command));
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('quote removal and word splitting agree with bash on generated commands (every quoting style, hostile characters)', function () {
    let bash = '';
    try {
      bash = execFileSync('/bin/sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim();
    } catch {
      this.skip();
    }
    const random = seeded(20240917);
    const out = mkdtempSync(path.join(os.tmpdir(), 'tandem-words-'));
    try {
      for (let index = 0; index < 200; index++) {
        const commands = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
          const args = Array.from({ length: Math.floor(random() * 5) }, () => randomText(random));
          return { program: `p${Math.floor(random() * 3)}`, args };
        });
        const separators = [' ; ', ' && ', ' | ', '\n'];
        const line = commands.map((c, i) => `${i > 0 ? (separators[Math.floor(random() * separators.length)] ?? ';') : ''}${quoteProgram(c.program, random)} ${c.args.map((arg) => quote(arg, random)).join(' ')}`).join('');
        const parsed = parseScript(line);
        assert.deepEqual(parsed.issues, [], JSON.stringify(line));
        const records = path.join(out, String(index));
        mkdirSync(records);
        const functions = ['p0', 'p1', 'p2'].map((name) => `${name}() { printf '%s\\0' ${name} "$@" >> "$RECORDS/$BASHPID"; printf '\\036' >> "$RECORDS/$BASHPID"; }`).join('\n');
        execFileSync(bash, ['-c', `${functions}\n${line}`], { cwd: ws.root, env: { PATH: '/nonexistent', RECORDS: records }, stdio: 'ignore' });
        const seen = readdirSync(records)
          .flatMap((file) => readFileSync(path.join(records, file), 'utf8').split('\x1e'))
          .filter(Boolean)
          .map((entry) => entry.replace(/\0$/, ''));
        const mine = topLevelCommands(line).map((words) => words.join('\0'));
        assert.deepEqual([...seen].sort(), [...mine].sort(), JSON.stringify(line));
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('"Allow for this task" adds the plain programs of the approved command and never a wrapper', () => {
    assert.deepEqual(programsToAllow('npm test && git status | head -3'), ['npm', 'git', 'head']);
    assert.deepEqual(programsToAllow('xargs rm < list.txt; env ls; bash -c ls; sudo id; cd src; export A=1; make'), ['make']);
    assert.deepEqual(programsToAllow('$X test; "$(id)"'), []);
  });
});

/** The simple commands of a plain command line, as argv. */
function topLevelCommands(command: string): string[][] {
  return parseScript(command).script.pipelines.flatMap((pipeline) => pipeline.commands.flatMap((c) => (c.kind === 'simple' ? [c.words.map((word) => word.value)] : [])));
}

/** A small deterministic generator (the same cases every run). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Characters the shell treats specially, and some that it does not. */
const ALPHABET = [...'aZ09-._/=:,@%+', ' ', '\t', '\n', "'", '"', '\\', '$', '`', '#', '*', '?', '[', ']', '{', '}', '~', '!', '&', '|', ';', '<', '>', '(', ')', 'é', '中'];

function randomText(random: () => number): string {
  return Array.from({ length: Math.floor(random() * 6) }, () => ALPHABET[Math.floor(random() * ALPHABET.length)] ?? 'a').join('');
}

/** Shell source for one word whose value is `text`, quoted in a random way (or in pieces, each its own way). */
function quote(text: string, random: () => number): string {
  if (text === '') return random() < 0.5 ? "''" : '""';
  if (random() < 0.3 && text.length > 1) {
    const cut = 1 + Math.floor(random() * (text.length - 1));
    return quote(text.slice(0, cut), random) + quote(text.slice(cut), random);
  }
  const style = Math.floor(random() * 5);
  if (style === 0 && /^[A-Za-z0-9._/=:,@%+-]+$/.test(text) && !text.startsWith('-')) return text;
  if (style === 1) return `"${text.replace(/[\\"$`]/g, '\\$&')}"`;
  if (style === 2) return [...text].map((c) => (c === '\n' ? "'\n'" : `\\${c}`)).join('');
  if (style === 3) return `$'${[...text].map((c) => (c === "'" ? "\\'" : c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\t' ? '\\t' : c)).join('')}'`;
  return `'${text.replace(/'/g, `'"'"'`)}'`;
}

function quoteProgram(program: string, random: () => number): string {
  const style = Math.floor(random() * 4);
  return style === 0 ? `'${program}'` : style === 1 ? `"${program}"` : style === 2 ? `\\${program}` : program;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
