import assert from 'node:assert/strict';
import { sanitizeStep } from '../../media/chat/agentData';
import { parseAgentSettings } from '../../src/server/agent/validate';
import { parseProposeEditParams } from '../../src/server/propose/validateEdit';
import { resolveCompletionSettings } from '../../src/server/settings';
import { parseChatParams } from '../../src/server/validate';
import { DEFAULT_COMPLETION_SETTINGS } from '../../src/shared/defaults';
import { errorDetail, errorMessage, isRecord, oneOf } from '../../src/shared/guards';
import * as vocabulary from '../../src/shared/vocabulary';
import {
  APPROVAL_ANSWERS,
  APPROVAL_KINDS,
  APPROVAL_POLICIES,
  CHAT_ROLES,
  COMPLETION_TEMPLATES,
  CONTEXT_KINDS,
  DIAGNOSTIC_SEVERITIES,
  EDIT_TASKS,
  SANDBOX_KINDS,
  STEP_ACTIONS,
  STEP_STATUSES,
} from '../../src/shared/vocabulary';
import { seededRandom } from '../support/random';

/** Each list with its guard. Every list the module exports must be here (checked below), so one added later is tested too. */
const GUARDED: ReadonlyArray<{ name: string; words: readonly string[]; guard: (value: unknown) => boolean }> = [
  { name: 'APPROVAL_POLICIES', words: APPROVAL_POLICIES, guard: vocabulary.isApprovalPolicy },
  { name: 'STEP_STATUSES', words: STEP_STATUSES, guard: vocabulary.isStepStatus },
  { name: 'APPROVAL_ANSWERS', words: APPROVAL_ANSWERS, guard: vocabulary.isApprovalAnswer },
  { name: 'STEP_ACTIONS', words: STEP_ACTIONS, guard: vocabulary.isStepAction },
  { name: 'SANDBOX_KINDS', words: SANDBOX_KINDS, guard: vocabulary.isSandboxKind },
  { name: 'COMPLETION_TEMPLATES', words: COMPLETION_TEMPLATES, guard: vocabulary.isCompletionTemplate },
  { name: 'COMPLETION_EVENT_KINDS', words: vocabulary.COMPLETION_EVENT_KINDS, guard: vocabulary.isCompletionEventKind },
  { name: 'EDIT_TASKS', words: EDIT_TASKS, guard: vocabulary.isEditTask },
  { name: 'ERROR_ACTIONS', words: vocabulary.ERROR_ACTIONS, guard: vocabulary.isErrorAction },
  { name: 'CHAT_MODES', words: vocabulary.CHAT_MODES, guard: vocabulary.isChatMode },
  { name: 'CHAT_ROLES', words: CHAT_ROLES, guard: vocabulary.isChatRole },
  { name: 'CONTEXT_KINDS', words: CONTEXT_KINDS, guard: vocabulary.isContextKind },
  { name: 'MENTION_KINDS', words: vocabulary.MENTION_KINDS, guard: vocabulary.isMentionKind },
  { name: 'SLASH_COMMANDS', words: vocabulary.SLASH_COMMANDS, guard: vocabulary.isSlashCommand },
  { name: 'DIAGNOSTIC_SEVERITIES', words: DIAGNOSTIC_SEVERITIES, guard: vocabulary.isDiagnosticSeverity },
  { name: 'AGENT_TOOL_NAMES', words: vocabulary.AGENT_TOOL_NAMES, guard: vocabulary.isAgentToolName },
  { name: 'APPROVAL_KINDS', words: APPROVAL_KINDS, guard: vocabulary.isApprovalKind },
  { name: 'AUDIT_CONTENTS', words: vocabulary.AUDIT_CONTENTS, guard: vocabulary.isAuditContents },
  { name: 'AUDIT_ACTORS', words: vocabulary.AUDIT_ACTORS, guard: vocabulary.isAuditActor },
  { name: 'CLIENT_AUDIT_ACTORS', words: vocabulary.CLIENT_AUDIT_ACTORS, guard: vocabulary.isClientAuditActor },
  { name: 'DECISION_SCOPES', words: vocabulary.DECISION_SCOPES, guard: vocabulary.isDecisionScope },
  { name: 'DECISION_OUTCOMES', words: vocabulary.DECISION_OUTCOMES, guard: vocabulary.isDecisionOutcome },
  { name: 'WRITE_OPERATIONS', words: vocabulary.WRITE_OPERATIONS, guard: vocabulary.isWriteOperation },
  { name: 'PROPOSAL_ORIGINS', words: vocabulary.PROPOSAL_ORIGINS, guard: vocabulary.isProposalOrigin },
  { name: 'MODEL_PURPOSES', words: vocabulary.MODEL_PURPOSES, guard: vocabulary.isModelPurpose },
];

/** Near misses of a word: what a hand-written copy, a typo or a hostile sender would produce. */
function nearMisses(word: string, random: () => number): unknown[] {
  const at = Math.floor(random() * word.length);
  return [
    word.toUpperCase(),
    word[0]?.toUpperCase() + word.slice(1),
    ` ${word}`,
    `${word} `,
    `${word}\n`,
    word.slice(0, -1),
    `${word}x`,
    word.slice(0, at) + word.slice(at + 1),
    word.slice(0, at) + String.fromCharCode((word.charCodeAt(at) % 94) + 33) + word.slice(at + 1),
    [word],
    { word },
    new String(word),
  ].filter((miss) => miss !== word);
}

const NOT_WORDS: unknown[] = [undefined, null, '', 0, 1, true, false, NaN, {}, [], () => 'ask', Symbol('ask'), 'toString', '__proto__', 'constructor'];

describe('the shared vocabularies (src/shared/vocabulary.ts)', () => {
  it('declares each list once, without duplicates, each with its guard', () => {
    const lists = Object.entries(vocabulary).filter(([, value]) => Array.isArray(value));
    assert.deepEqual(lists.map(([name]) => name).sort(), GUARDED.map(({ name }) => name).sort(), 'a list without a line in GUARDED');
    for (const [name, value] of lists) assert.equal(GUARDED.find((entry) => entry.name === name)?.words, value, name);
    for (const { name, words } of GUARDED) {
      assert.equal(new Set(words).size, words.length, `${name} repeats a word`);
      assert.ok(words.length > 0 && words.every((word) => word.trim() === word && word !== ''), name);
    }
  });

  it('each guard accepts exactly its words: every word, and none of their near misses or other values', () => {
    const random = seededRandom(10);
    let rejected = 0;
    for (const { name, words, guard } of GUARDED) {
      for (const word of words) assert.equal(guard(word), true, `${name} refuses ${word}`);
      for (const value of [...words.flatMap((word) => nearMisses(word, random)), ...NOT_WORDS]) {
        if (typeof value === 'string' && words.includes(value)) continue;
        assert.equal(guard(value), false, `${name} accepts ${String(value)}`);
        rejected++;
      }
    }
    assert.ok(rejected > 300, `only ${rejected} values tried`);
  });

  it('a step card offers every decision an approval can take, and restore and review besides', () => {
    assert.deepEqual(STEP_ACTIONS.slice(0, APPROVAL_ANSWERS.length), APPROVAL_ANSWERS);
    assert.deepEqual(STEP_ACTIONS.slice(APPROVAL_ANSWERS.length), ['restore', 'review']);
  });

  it('oneOf makes a guard from any list, which later changes to the list do not widen', () => {
    const words = ['a', 'b'];
    const guard = oneOf(words);
    words.push('c');
    assert.equal(guard('a'), true);
    assert.equal(guard('c'), false);
  });
});

describe('the checks where words arrive take them from the vocabularies', () => {
  const random = seededRandom(11);

  it('agent settings (service): every approval policy and sandbox kind, and nothing else', () => {
    for (const policy of APPROVAL_POLICIES) assert.equal((parseAgentSettings({ policy }) as { policy: string }).policy, policy);
    for (const kind of SANDBOX_KINDS) assert.equal((parseAgentSettings({ sandbox: { kind } }) as { sandbox: { kind: string } }).sandbox.kind, kind);
    for (const miss of [...APPROVAL_POLICIES.flatMap((word) => nearMisses(word, random)), ...NOT_WORDS.filter((value) => value !== undefined)]) {
      assert.equal(typeof parseAgentSettings({ policy: miss }), 'string', `policy ${String(miss)} accepted`);
    }
    for (const miss of [...SANDBOX_KINDS.flatMap((word) => nearMisses(word, random)), ...NOT_WORDS]) {
      assert.equal(typeof parseAgentSettings({ sandbox: { kind: miss } }), 'string', `sandbox kind ${String(miss)} accepted`);
    }
    assert.match(String(parseAgentSettings({ policy: 'yolo' })), new RegExp(APPROVAL_POLICIES.join(', ')));
  });

  it('edit proposals (service): every edit task, and nothing else', () => {
    const params = (task: unknown) => ({ streamId: 's', task, instruction: 'tidy', root: '/w', path: 'a.ts', files: [{ path: 'a.ts', text: '' }] });
    for (const task of EDIT_TASKS) assert.equal(parseProposeEditParams(params(task)).ok, true, task);
    for (const miss of [...EDIT_TASKS.flatMap((word) => nearMisses(word, random)), ...NOT_WORDS]) {
      const parsed = parseProposeEditParams(params(miss));
      assert.equal(parsed.ok, false, `task ${String(miss)} accepted`);
      assert.ok(!parsed.ok && parsed.error.includes(EDIT_TASKS.join(', ')));
    }
  });

  it('chat requests (service): every role and context kind, and nothing else', () => {
    const params = (role: unknown, kind: unknown) => ({ streamId: 's', messages: [{ role, content: 'a' }, { role: 'user', content: 'b' }], context: [{ kind, path: 'a.ts', text: '' }] });
    for (const role of CHAT_ROLES) for (const kind of CONTEXT_KINDS) assert.equal(parseChatParams(params(role, kind)).ok, true, `${role} ${kind}`);
    for (const miss of [...CHAT_ROLES.flatMap((word) => nearMisses(word, random)), ...NOT_WORDS]) {
      const parsed = parseChatParams(params(miss, 'file'));
      assert.ok(!parsed.ok && parsed.error.includes(`role: ${CHAT_ROLES.map((role) => `'${role}'`).join(' | ')}`), `role ${String(miss)} accepted`);
    }
    for (const miss of [...CONTEXT_KINDS.flatMap((word) => nearMisses(word, random)), ...NOT_WORDS]) {
      const parsed = parseChatParams(params('user', miss));
      assert.ok(!parsed.ok && parsed.error.includes(`kind: ${CONTEXT_KINDS.map((kind) => `'${kind}'`).join(' | ')}`), `context kind ${String(miss)} accepted`);
    }
  });

  it('problems sent with an edit proposal (service): every severity kept, anything else read as an error', () => {
    const params = (severity: unknown) => ({ streamId: 's', task: 'fix', instruction: '', root: '/w', path: 'a.ts', files: [{ path: 'a.ts', text: '' }], diagnostics: [{ startLine: 0, endLine: 0, severity, message: 'm' }] });
    const severityOf = (severity: unknown): unknown => {
      const parsed = parseProposeEditParams(params(severity));
      return parsed.ok ? parsed.value.diagnostics?.[0]?.severity : parsed.error;
    };
    for (const severity of DIAGNOSTIC_SEVERITIES) assert.equal(severityOf(severity), severity);
    for (const miss of [...DIAGNOSTIC_SEVERITIES.flatMap((word) => nearMisses(word, random)), ...NOT_WORDS]) assert.equal(severityOf(miss), 'error', String(miss));
  });

  it('completion settings (service): every template, anything else falls back to the default', () => {
    for (const template of COMPLETION_TEMPLATES) assert.equal(resolveCompletionSettings({ template }).template, template);
    for (const miss of [...COMPLETION_TEMPLATES.flatMap((word) => nearMisses(word, random)), ...NOT_WORDS]) {
      assert.equal(resolveCompletionSettings({ template: miss }).template, DEFAULT_COMPLETION_SETTINGS.template, String(miss));
    }
  });

  it('step cards (webview): every status shows, a card with any other status is dropped', () => {
    const step = (status: unknown) => ({ id: 'a', turn: 1, tool: 'read_file', title: 'Read a.ts', status });
    for (const status of STEP_STATUSES) assert.equal(sanitizeStep(step(status))?.status, status);
    for (const miss of [...STEP_STATUSES.flatMap((word) => nearMisses(word, random)), ...NOT_WORDS]) {
      assert.equal(sanitizeStep(step(miss)), undefined, `status ${String(miss)} accepted`);
    }
  });

  it('step cards (webview): the "Restore to here" flag is the extension’s, kept only when it is exactly true', () => {
    const base = { id: 'a', turn: 1, tool: 'read_file', title: 'Read a.ts', status: 'done' };
    assert.equal(sanitizeStep({ ...base, checkpoint: true })?.checkpoint, true);
    for (const value of [false, 'true', 1, {}, null]) assert.equal(sanitizeStep({ ...base, checkpoint: value })?.checkpoint, undefined, String(value));
  });
});

describe('guards (src/shared/guards.ts)', () => {
  it('isRecord: plain objects only', () => {
    for (const value of [{}, { a: 1 }, Object.create(null), new Map(), new Date(0)]) assert.equal(isRecord(value), true);
    for (const value of [null, undefined, [], [1], 'x', 0, true, () => ({}), Symbol('x')]) assert.equal(isRecord(value), false, String(value));
  });

  it('errorMessage: the message of an Error of any kind, else the thrown value as text', () => {
    class Custom extends Error {}
    for (const error of [new Error('boom'), new TypeError('boom'), new Custom('boom'), Object.assign(new Error('boom'), { stack: undefined })]) {
      assert.equal(errorMessage(error), 'boom');
    }
    for (const [thrown, text] of [['boom', 'boom'], [42, '42'], [undefined, 'undefined'], [null, 'null'], [{ message: 'not an Error' }, '[object Object]']] as const) {
      assert.equal(errorMessage(thrown), text);
    }
  });

  it('errorDetail: the stack when there is one, else the message, else the value', () => {
    const error = new Error('boom');
    assert.equal(errorDetail(error), error.stack);
    assert.match(errorDetail(error), /boom[\s\S]*vocabulary\.test/);
    const stackless = new Error('bare');
    delete stackless.stack;
    assert.equal(errorDetail(stackless), 'bare');
    assert.equal(errorDetail('thrown text'), 'thrown text');
  });
});
