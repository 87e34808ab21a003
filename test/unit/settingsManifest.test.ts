import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAgentSettings } from '../../src/server/agent/validate';
import { resolveSettings } from '../../src/server/settings';
import {
  AGENT_DEFAULTS,
  AUDIT_DEFAULTS,
  CODEBASE_DEFAULTS,
  DATA_BOUNDARY_DEFAULTS,
  DEFAULT_ALLOW_COMMANDS,
  DEFAULT_COMPLETION_SETTINGS,
  DEFAULT_COMPLETIONS_ENABLE,
  DEFAULT_DENY_COMMANDS,
  SERVICE_DEFAULTS,
  TELEMETRY_DEFAULTS,
  CHECKS_DEFAULTS,
  METRICS_DEFAULTS,
  MCP_DEFAULTS,
  EMBEDDED_DEFAULTS,
} from '../../src/shared/defaults';
import { APPROVAL_POLICIES, AUDIT_CONTENTS, COMPLETION_TEMPLATES } from '../../src/shared/vocabulary';

interface SettingSchema {
  type?: string;
  default?: unknown;
  enum?: unknown[];
  enumDescriptions?: unknown[];
  markdownEnumDescriptions?: unknown[];
  minimum?: number;
  maximum?: number;
}

type Properties = Record<string, SettingSchema>;

const root = path.join(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Properties } } };
const properties = manifest.contributes.configuration.properties;

/** Where each enum of package.json is declared in code. A new enum setting needs a line here (and a list in src/shared/vocabulary.ts). */
const DECLARED_ENUMS: Readonly<Record<string, readonly string[]>> = {
  'tandem.agent.approvalPolicy': APPROVAL_POLICIES,
  'tandem.completions.template': COMPLETION_TEMPLATES,
  'tandem.audit.contents': AUDIT_CONTENTS,
};

/** The service with nothing set and no environment: the empty connection values mean "not set". */
const unset = resolveSettings({}, {}).settings;

/** Where each default of package.json is declared in code. A new setting needs a line here (and its default in src/shared/defaults.ts). */
const DECLARED_DEFAULTS: Readonly<Record<string, unknown>> = {
  'tandem.baseUrl': unset.baseUrl,
  'tandem.model': unset.model,
  'tandem.completionModel': unset.completionModel,
  'tandem.requestTimeout': SERVICE_DEFAULTS.requestTimeout,
  'tandem.maxRetries': SERVICE_DEFAULTS.maxRetries,
  'tandem.logContents': SERVICE_DEFAULTS.logContents,
  'tandem.completions.enable': DEFAULT_COMPLETIONS_ENABLE,
  'tandem.completions.baseUrl': DEFAULT_COMPLETION_SETTINGS.baseUrl,
  'tandem.completions.template': DEFAULT_COMPLETION_SETTINGS.template,
  'tandem.completions.debounceMs': DEFAULT_COMPLETION_SETTINGS.debounceMs,
  'tandem.completions.maxLines': DEFAULT_COMPLETION_SETTINGS.maxLines,
  'tandem.agent.approvalPolicy': AGENT_DEFAULTS.approvalPolicy,
  'tandem.agent.maxSteps': AGENT_DEFAULTS.maxSteps,
  'tandem.agent.maxTokens': AGENT_DEFAULTS.maxTokens,
  'tandem.agent.allowCommands': DEFAULT_ALLOW_COMMANDS,
  'tandem.agent.denyCommands': DEFAULT_DENY_COMMANDS,
  'tandem.agent.testCommand': AGENT_DEFAULTS.testCommand,
  'tandem.agent.commandTimeout': AGENT_DEFAULTS.commandTimeout,
  'tandem.agent.maxToolCallsPerTurn': AGENT_DEFAULTS.maxToolCallsPerTurn,
  'tandem.agent.sandbox.allowNetwork': AGENT_DEFAULTS.allowNetwork,
  'tandem.audit.enabled': AUDIT_DEFAULTS.enabled,
  'tandem.audit.directory': AUDIT_DEFAULTS.directory,
  'tandem.audit.contents': AUDIT_DEFAULTS.contents,
  'tandem.dataBoundary.localOnly': DATA_BOUNDARY_DEFAULTS.localOnly,
  'tandem.codebase.embeddings': CODEBASE_DEFAULTS.embeddings,
  'tandem.codebase.embeddingsModel': CODEBASE_DEFAULTS.embeddingsModel,
  'tandem.telemetry.otlpEndpoint': TELEMETRY_DEFAULTS.otlpEndpoint,
  'tandem.checks': CHECKS_DEFAULTS.checks,
  'tandem.metrics.prices': METRICS_DEFAULTS.prices,
  'tandem.mcp.servers': MCP_DEFAULTS.servers,
  'tandem.mcp.alwaysAllow': MCP_DEFAULTS.alwaysAllow,
  'tandem.embedded.modelPath': EMBEDDED_DEFAULTS.modelPath,
  'tandem.embedded.idleUnloadMinutes': EMBEDDED_DEFAULTS.idleUnloadMinutes,
};

function jsonType(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

/**
 * Every way `properties` disagrees with the declarations, one sentence each
 * naming the setting and where to fix it. Empty when they agree.
 */
function manifestDrift(settings: Properties): string[] {
  const problems: string[] = [];
  const names = Object.keys(settings);
  for (const name of names) {
    const schema = settings[name] ?? {};
    const declaredEnum = DECLARED_ENUMS[name];
    if (schema.enum !== undefined && declaredEnum === undefined) {
      problems.push(`${name}: package.json has an enum that no list in src/shared/vocabulary.ts declares (add one, and a line to DECLARED_ENUMS)`);
    } else if (declaredEnum !== undefined && JSON.stringify(schema.enum) !== JSON.stringify(declaredEnum)) {
      problems.push(`${name}: package.json enum ${JSON.stringify(schema.enum)} ≠ src/shared/vocabulary.ts ${JSON.stringify(declaredEnum)}`);
    }
    for (const key of ['enumDescriptions', 'markdownEnumDescriptions'] as const) {
      const descriptions = schema[key];
      if (descriptions !== undefined && descriptions.length !== (schema.enum ?? []).length) {
        problems.push(`${name}: ${descriptions.length} ${key} for ${(schema.enum ?? []).length} enum values`);
      }
    }
    if (!(name in DECLARED_DEFAULTS)) {
      problems.push(`${name}: no declared default (declare it in src/shared/defaults.ts and add a line to DECLARED_DEFAULTS)`);
      continue;
    }
    const declared = DECLARED_DEFAULTS[name];
    if (JSON.stringify(schema.default) !== JSON.stringify(declared)) {
      problems.push(`${name}: package.json default ${JSON.stringify(schema.default)} ≠ declared ${JSON.stringify(declared)}`);
    }
    if (schema.type !== undefined && jsonType(schema.default) !== schema.type) {
      problems.push(`${name}: the default is a ${jsonType(schema.default)}, the setting a ${schema.type}`);
    }
    if (schema.enum !== undefined && !schema.enum.includes(schema.default)) {
      problems.push(`${name}: the default ${JSON.stringify(schema.default)} is not one of its enum values`);
    }
    if (typeof schema.default === 'number' && ((schema.minimum ?? -Infinity) > schema.default || (schema.maximum ?? Infinity) < schema.default)) {
      problems.push(`${name}: the default ${schema.default} is outside [${schema.minimum ?? '-∞'}, ${schema.maximum ?? '∞'}]`);
    }
  }
  for (const name of [...Object.keys(DECLARED_DEFAULTS), ...Object.keys(DECLARED_ENUMS)]) {
    if (!names.includes(name)) problems.push(`${name}: declared here but no longer contributed by package.json`);
  }
  return problems;
}

/** A setting changed the way a contributor's slip would change it, or undefined when the change does not apply. */
type Mutation = (schema: SettingSchema) => SettingSchema | undefined;

function otherValue(value: unknown): unknown {
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'string') return `${value}x`;
  if (typeof value === 'boolean') return !value;
  return undefined;
}

const MUTATIONS: ReadonlyArray<[string, Mutation]> = [
  ['a different default', (schema) => (otherValue(schema.default) === undefined ? undefined : { ...schema, default: otherValue(schema.default) })],
  ['a list default without its first entry', (schema) => (Array.isArray(schema.default) && schema.default.length > 0 ? { ...schema, default: schema.default.slice(1) } : undefined)],
  ['a list default with an entry more', (schema) => (Array.isArray(schema.default) ? { ...schema, default: [...schema.default, 'rm -rf /'] } : undefined)],
  ['an object default with a key more', (schema) => (jsonType(schema.default) === 'object' ? { ...schema, default: { ...(schema.default as object), python: false } } : undefined)],
  ['an enum without its last word', (schema) => (schema.enum ? { ...schema, enum: schema.enum.slice(0, -1) } : undefined)],
  ['an enum with a word more', (schema) => (schema.enum ? { ...schema, enum: [...schema.enum, 'yolo'] } : undefined)],
  ['an enum in another order', (schema) => (schema.enum && schema.enum.length > 1 ? { ...schema, enum: [...schema.enum.slice(1), schema.enum[0]] } : undefined)],
  ['an enum where there was none', (schema) => (schema.enum || typeof schema.default !== 'string' ? undefined : { ...schema, enum: [schema.default] })],
];

describe('package.json settings and the declarations in src/shared (vocabulary.ts, defaults.ts)', () => {
  it('agree: every enum is its vocabulary, in order, and every default is the declared one', () => {
    const problems = manifestDrift(properties);
    assert.deepEqual(problems, [], `package.json contributes.configuration has drifted:\n  ${problems.join('\n  ')}`);
    assert.ok(Object.keys(properties).length >= 20, 'the manifest lost its settings');
  });

  it('any one setting changed (default, list, enum word, order) is reported by name', () => {
    let cases = 0;
    for (const name of Object.keys(properties)) {
      for (const [slip, mutate] of MUTATIONS) {
        const mutated = mutate(properties[name] ?? {});
        if (!mutated) continue;
        cases++;
        const problems = manifestDrift({ ...properties, [name]: mutated });
        assert.ok(problems.length > 0, `${name} with ${slip} went unnoticed`);
        assert.ok(problems.every((problem) => problem.startsWith(`${name}:`)), `${name} with ${slip}: ${problems.join('; ')}`);
      }
    }
    assert.ok(cases >= 30, `only ${cases} mutations applied`);
  });

  it('a setting added without a declaration, or removed with one left behind, is reported by name', () => {
    const added = manifestDrift({ ...properties, 'tandem.agent.newLimit': { type: 'number', default: 3 } });
    assert.deepEqual(added.map((problem) => problem.split(':')[0]), ['tandem.agent.newLimit']);
    for (const name of Object.keys(DECLARED_DEFAULTS)) {
      const { [name]: _removed, ...rest } = properties;
      assert.ok(manifestDrift(rest).some((problem) => problem.startsWith(`${name}:`) && problem.includes('no longer contributed')), name);
    }
  });

  it('the service falls back to the declared defaults when a client sends nothing', () => {
    const { settings } = resolveSettings({}, {});
    assert.equal(settings.requestTimeout, SERVICE_DEFAULTS.requestTimeout);
    assert.equal(settings.maxRetries, SERVICE_DEFAULTS.maxRetries);
    assert.equal(settings.logContents, SERVICE_DEFAULTS.logContents);
    assert.deepEqual(settings.completions, DEFAULT_COMPLETION_SETTINGS);
    const agent = parseAgentSettings(undefined);
    assert.ok(typeof agent !== 'string');
    assert.deepEqual(
      { policy: agent.policy, maxSteps: agent.maxSteps, maxTokens: agent.maxTokens, testCommand: agent.testCommand, commandTimeout: agent.commandTimeout, maxToolCallsPerTurn: agent.maxToolCallsPerTurn },
      {
        policy: AGENT_DEFAULTS.approvalPolicy,
        maxSteps: AGENT_DEFAULTS.maxSteps,
        maxTokens: AGENT_DEFAULTS.maxTokens,
        testCommand: AGENT_DEFAULTS.testCommand,
        commandTimeout: AGENT_DEFAULTS.commandTimeout,
        maxToolCallsPerTurn: AGENT_DEFAULTS.maxToolCallsPerTurn,
      },
    );
    assert.deepEqual(agent.allowCommands, DEFAULT_ALLOW_COMMANDS);
    assert.deepEqual(agent.denyCommands, DEFAULT_DENY_COMMANDS);
  });

  it('the service keeps every declared default as it is (no clamp moves a value VS Code sends by default)', () => {
    const { settings } = resolveSettings({ requestTimeout: SERVICE_DEFAULTS.requestTimeout, maxRetries: SERVICE_DEFAULTS.maxRetries, completions: DEFAULT_COMPLETION_SETTINGS }, {});
    assert.equal(settings.requestTimeout, SERVICE_DEFAULTS.requestTimeout);
    assert.equal(settings.maxRetries, SERVICE_DEFAULTS.maxRetries);
    assert.deepEqual(settings.completions, DEFAULT_COMPLETION_SETTINGS);
    const { approvalPolicy, allowNetwork: _network, ...limits } = AGENT_DEFAULTS;
    const agent = parseAgentSettings({ ...limits, policy: approvalPolicy, allowCommands: DEFAULT_ALLOW_COMMANDS, denyCommands: DEFAULT_DENY_COMMANDS });
    const defaults = parseAgentSettings(undefined);
    assert.ok(typeof agent !== 'string' && typeof defaults !== 'string', String(agent));
    assert.deepEqual(agent, defaults);
  });
});
