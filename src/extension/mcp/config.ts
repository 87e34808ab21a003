/**
 * MCP server configurations (docs/mcp.md): `.vscode/mcp.json` (VS Code's own
 * format, JSON with comments) and the `tandem.mcp.servers` user setting (the
 * same shape). A repository's file is hostile input: wrong types, huge
 * files, prototype keys and environment variables that change what a
 * program runs are refused here, each with a problem the MCP Servers view
 * shows. No `vscode`: the unit tests run it in plain Node.
 */
import { createHash } from 'node:crypto';
import { isRecord } from '../../shared/guards';
import type { McpServerSource } from '../../shared/mcpProtocol';

/** Where a configuration came from: the person's settings, or the repository (asks before anything starts). */
export type McpSource = McpServerSource;

export type McpServerConfig =
  | { name: string; source: McpSource; type: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { name: string; source: McpSource; type: 'http' | 'sse'; url: string; headers: Record<string, string> };

/** A `promptString` input: asked once, kept in the editor's secret storage. */
export interface McpInput {
  /** Inputs belong to their source: a repository's server never gets a value asked for the person's own servers. */
  source: McpSource;
  id: string;
  description: string;
  password: boolean;
}

export interface McpConfig {
  servers: McpServerConfig[];
  inputs: McpInput[];
  /** What was refused or ignored, one line each ("server x: env NODE_OPTIONS is not allowed"). */
  problems: string[];
}

export const CONFIG_LIMITS = {
  /** `.vscode/mcp.json` larger than this is not read at all. */
  fileBytes: 256 * 1024,
  servers: 32,
  inputs: 32,
  nameChars: 64,
  commandChars: 1_024,
  args: 256,
  argChars: 8_192,
  envEntries: 128,
  envValueChars: 32_768,
  urlChars: 2_048,
  headers: 64,
  headerValueChars: 8_192,
} as const;

/**
 * Environment variables a repository may not set for its server: each makes a program load or run
 * something else (a library, a startup file, an interpreter option), or changes which program runs.
 * The person's own settings may set them.
 */
const REFUSED_ENV = new Set([
  'PATH', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'LD_AUDIT', 'GCONV_PATH', 'NODE_OPTIONS', 'NODE_PATH', 'NODE_EXTRA_CA_CERTS',
  'PYTHONPATH', 'PYTHONSTARTUP', 'PYTHONHOME', 'PYTHONINSPECT', 'PYTHONUSERBASE', 'RUBYOPT', 'RUBYLIB', 'PERL5OPT', 'PERL5LIB', 'PERLLIB',
  'BASH_ENV', 'ENV', 'SHELLOPTS', 'BASHOPTS', 'PS4', 'PROMPT_COMMAND', 'IFS', 'HOME', 'SHELL', 'TMPDIR',
  'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'CLASSPATH', 'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_EXEC_PATH', 'GIT_CONFIG_GLOBAL',
  'EDITOR', 'VISUAL', 'PAGER', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy', 'NO_PROXY', 'no_proxy',
  'NPM_CONFIG_USERCONFIG', 'NPM_CONFIG_GLOBALCONFIG', 'DENO_DIR', 'UV_PYTHON', 'VIRTUAL_ENV', 'CONDA_PREFIX',
]);
/** Prefixes of the same kind (the macOS loader, git's per-process configuration). */
const REFUSED_ENV_PREFIXES = ['DYLD_', 'LD_', 'GIT_CONFIG_', 'BASH_FUNC_', 'MALLOC_'];

export function isRefusedEnv(name: string): boolean {
  const upper = name.toUpperCase();
  return REFUSED_ENV.has(name) || REFUSED_ENV.has(upper) || REFUSED_ENV_PREFIXES.some((prefix) => upper.startsWith(prefix));
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
const INPUT_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Names that would reach an object's prototype if anyone indexed with them. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** `${input:id}`, `${workspaceFolder}`; any other `${…}` is refused in a repository's file. */
const VARIABLE = /\$\{([^}]*)\}/g;

/** The text of `.vscode/mcp.json` (JSON with comments and trailing commas) as a configuration. */
export function parseMcpJson(text: string, source: McpSource): McpConfig {
  if (text.length > CONFIG_LIMITS.fileBytes) return empty(`mcp.json is larger than ${CONFIG_LIMITS.fileBytes / 1024} KB: not read`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripJsonComments(text));
  } catch (error) {
    return empty(`mcp.json is not valid JSON: ${error instanceof Error ? error.message.slice(0, 200) : 'parse error'}`);
  }
  return parseMcpConfig(parsed, source);
}

/** A parsed configuration object (`{ servers, inputs }`): what is well-formed is kept, the rest is a problem. */
export function parseMcpConfig(value: unknown, source: McpSource): McpConfig {
  if (!isRecord(value)) return empty('the MCP configuration must be an object with "servers"');
  const problems: string[] = [];
  const inputs = parseInputs(value.inputs, source, problems);
  const servers: McpServerConfig[] = [];
  if (value.servers !== undefined && !isRecord(value.servers)) problems.push('"servers" must be an object');
  const entries = isRecord(value.servers) ? Object.entries(value.servers) : [];
  if (entries.length > CONFIG_LIMITS.servers) problems.push(`only the first ${CONFIG_LIMITS.servers} of ${entries.length} servers are read`);
  for (const [name, entry] of entries.slice(0, CONFIG_LIMITS.servers)) {
    const nameProblem = checkName(name);
    if (nameProblem) {
      problems.push(`server ${JSON.stringify(name.slice(0, 80))}: ${nameProblem}`);
      continue;
    }
    const server = parseServer(name, entry, source, new Set(inputs.map((input) => input.id)));
    if (typeof server === 'string') problems.push(`server ${name}: ${server}`);
    else servers.push(server);
  }
  return { servers, inputs, problems };
}

function empty(problem: string): McpConfig {
  return { servers: [], inputs: [], problems: [problem] };
}

function checkName(name: string): string | undefined {
  if (name.length === 0 || name.length > CONFIG_LIMITS.nameChars) return `a name must have 1 to ${CONFIG_LIMITS.nameChars} characters`;
  if (CONTROL.test(name)) return 'a name may not contain control characters';
  if (PROTOTYPE_KEYS.has(name)) return 'this name is not allowed';
  return undefined;
}

function parseInputs(value: unknown, source: McpSource, problems: string[]): McpInput[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push('"inputs" must be an array');
    return [];
  }
  const out: McpInput[] = [];
  for (const item of value.slice(0, CONFIG_LIMITS.inputs)) {
    if (!isRecord(item) || typeof item.id !== 'string' || !INPUT_ID.test(item.id)) {
      problems.push('an input needs an "id" of letters, digits, "_", "." or "-"');
      continue;
    }
    if (item.type !== 'promptString') {
      problems.push(`input ${item.id}: only "promptString" inputs are supported`);
      continue;
    }
    const description = typeof item.description === 'string' ? item.description.replace(CONTROL, ' ').slice(0, 200) : item.id;
    out.push({ source, id: item.id, description, password: item.password === true });
  }
  return out;
}

function parseServer(name: string, entry: unknown, source: McpSource, inputIds: ReadonlySet<string>): McpServerConfig | string {
  if (!isRecord(entry)) return 'must be an object';
  const type = entry.type !== undefined ? entry.type : (entry.command !== undefined ? 'stdio' : entry.url !== undefined ? 'http' : undefined);
  const variables = (text: string, where: string): string | undefined => checkVariables(text, where, source, inputIds);
  if (type === 'stdio') {
    const { command, args, env, cwd } = entry;
    if (typeof command !== 'string' || command.trim() === '' || command.length > CONFIG_LIMITS.commandChars || CONTROL.test(command)) {
      return `"command" must be a non-empty line of at most ${CONFIG_LIMITS.commandChars} characters`;
    }
    if (command.includes('${')) return '"command" may not contain variables';
    const parsedArgs = stringList(args, CONFIG_LIMITS.args, CONFIG_LIMITS.argChars);
    if (typeof parsedArgs === 'string') return `"args" ${parsedArgs}`;
    for (const arg of parsedArgs) {
      const problem = variables(arg, 'args');
      if (problem) return problem;
    }
    const parsedEnv = stringMap(env, CONFIG_LIMITS.envEntries, CONFIG_LIMITS.envValueChars, ENV_NAME, 'a variable name');
    if (typeof parsedEnv === 'string') return `"env" ${parsedEnv}`;
    for (const [key, text] of Object.entries(parsedEnv)) {
      if (source === 'workspace' && isRefusedEnv(key)) return `"env" may not set ${key} (it changes what the server runs); set it in the user setting tandem.mcp.servers if you need it`;
      const problem = variables(text, `env ${key}`);
      if (problem) return problem;
    }
    if (entry.envFile !== undefined && source === 'workspace') return '"envFile" is not supported in .vscode/mcp.json (it would read any file into the server\'s environment)';
    if (cwd !== undefined && (typeof cwd !== 'string' || CONTROL.test(cwd) || cwd.length > CONFIG_LIMITS.commandChars)) return '"cwd" must be a path';
    if (typeof cwd === 'string' && cwd.includes('${') && cwd.replace('${workspaceFolder}', '').includes('${')) return '"cwd" may only use ${workspaceFolder}';
    return { name, source, type: 'stdio', command, args: parsedArgs, env: parsedEnv, ...(typeof cwd === 'string' && cwd ? { cwd } : {}) };
  }
  if (type === 'http' || type === 'sse') {
    const { url, headers } = entry;
    if (typeof url !== 'string' || url.length > CONFIG_LIMITS.urlChars || CONTROL.test(url)) return '"url" must be an http(s) URL';
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return '"url" must be an http(s) URL';
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return '"url" must be an http(s) URL';
    if (parsed.username || parsed.password) return '"url" may not carry a user name or password (use a header with ${input:…})';
    if (url.includes('${')) return '"url" may not contain variables';
    const parsedHeaders = stringMap(headers, CONFIG_LIMITS.headers, CONFIG_LIMITS.headerValueChars, HEADER_NAME, 'a header name');
    if (typeof parsedHeaders === 'string') return `"headers" ${parsedHeaders}`;
    for (const [key, text] of Object.entries(parsedHeaders)) {
      if (CONTROL.test(text)) return `header ${key} may not contain control characters`;
      const problem = variables(text, `header ${key}`);
      if (problem) return problem;
    }
    return { name, source, type, url, headers: parsedHeaders };
  }
  return '"type" must be "stdio", "http" or "sse"';
}

function checkVariables(text: string, where: string, source: McpSource, inputIds: ReadonlySet<string>): string | undefined {
  for (const match of text.matchAll(VARIABLE)) {
    const variable = match[1] ?? '';
    if (variable === 'workspaceFolder') continue;
    if (variable.startsWith('input:')) {
      if (!inputIds.has(variable.slice('input:'.length))) return `${where}: \${${variable}} names no input of "inputs"`;
      continue;
    }
    // ${env:…} would hand the person's environment (tokens) to whatever the repository names.
    if (source === 'workspace' || !variable.startsWith('env:')) return `${where}: \${${variable.slice(0, 40)}} is not supported`;
  }
  return undefined;
}

function stringList(value: unknown, maxItems: number, maxChars: number): string[] | string {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return 'must be an array of strings';
  if (value.length > maxItems) return `may have at most ${maxItems} items`;
  for (const item of value) {
    if (typeof item !== 'string') return 'must be an array of strings';
    if (item.length > maxChars) return `items may have at most ${maxChars} characters`;
    if (item.includes('\u0000')) return 'may not contain NUL characters';
  }
  return value as string[];
}

/** A string → string object, built without a prototype so no key can reach one. */
function stringMap(value: unknown, maxEntries: number, maxChars: number, keyPattern: RegExp, what: string): Record<string, string> | string {
  if (value === undefined || value === null) return Object.create(null) as Record<string, string>;
  if (!isRecord(value)) return 'must be an object of strings';
  const entries = Object.entries(value);
  if (entries.length > maxEntries) return `may have at most ${maxEntries} entries`;
  const out = Object.create(null) as Record<string, string>;
  for (const [key, item] of entries) {
    if (PROTOTYPE_KEYS.has(key) || !keyPattern.test(key)) return `has ${JSON.stringify(key.slice(0, 60))}, which is not ${what}`;
    if (typeof item !== 'string') return `${key} must be a string`;
    if (item.length > maxChars || item.includes('\u0000')) return `${key} is too long or has NUL characters`;
    out[key] = item;
  }
  return out;
}

/** JSON with comments and trailing commas as plain JSON (strings left alone). */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i += 1;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/**
 * What the person approves for a repository's server: everything that decides what runs (or where
 * requests go). A changed command, argument, variable, folder, URL or header asks again.
 */
export function approvalKey(server: McpServerConfig): string {
  const what =
    server.type === 'stdio'
      ? { type: server.type, command: server.command, args: server.args, env: sorted(server.env), cwd: server.cwd ?? '' }
      : { type: server.type, url: server.url, headers: sorted(server.headers) };
  return `${server.name}:${createHash('sha256').update(JSON.stringify(what)).digest('hex')}`;
}

function sorted(map: Record<string, string>): Array<[string, string]> {
  return Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Both sources together: a server of the person's settings wins over the repository's of the same name. */
export function mergeConfigs(user: McpConfig, workspace: McpConfig): McpConfig {
  const names = new Set(user.servers.map((server) => server.name));
  const shadowed = workspace.servers.filter((server) => names.has(server.name));
  return {
    servers: [...user.servers, ...workspace.servers.filter((server) => !names.has(server.name))],
    inputs: [...user.inputs, ...workspace.inputs],
    problems: [
      ...user.problems.map((problem) => `settings: ${problem}`),
      ...workspace.problems.map((problem) => `.vscode/mcp.json: ${problem}`),
      ...shadowed.map((server) => `.vscode/mcp.json: server ${server.name} is also in your settings; yours is used`),
    ],
  };
}

/** `${workspaceFolder}` and `${input:id}` (from `values`) replaced; an input without a value leaves undefined. */
export function substitute(text: string, workspaceFolder: string, values: ReadonlyMap<string, string>): string | undefined {
  let missing = false;
  const out = text.replace(VARIABLE, (whole, variable: string) => {
    if (variable === 'workspaceFolder') return workspaceFolder;
    if (variable.startsWith('input:')) {
      const value = values.get(variable.slice('input:'.length));
      if (value === undefined) missing = true;
      return value ?? '';
    }
    if (variable.startsWith('env:')) return process.env[variable.slice(4)] ?? '';
    return whole;
  });
  return missing ? undefined : out;
}

/** The input ids a server's values use. */
export function inputsUsed(server: McpServerConfig): string[] {
  const texts = server.type === 'stdio' ? [...server.args, ...Object.values(server.env)] : Object.values(server.headers);
  const ids = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(VARIABLE)) if (match[1]?.startsWith('input:')) ids.add(match[1].slice(6));
  return [...ids];
}

/**
 * Where a server that is not running stands: `disabled` (the person said so), `blocked` (a repository's,
 * in Restricted Mode), `awaitingApproval` (a repository's that was never approved as it is now), or
 * `stopped` (it may start). Only `stopped` ever starts.
 */
export function startState(server: McpServerConfig, context: { trusted: boolean; approved: ReadonlySet<string>; disabled: ReadonlySet<string> }): 'disabled' | 'blocked' | 'awaitingApproval' | 'stopped' {
  if (context.disabled.has(server.name)) return 'disabled';
  if (server.source === 'workspace') {
    if (!context.trusted) return 'blocked';
    if (!context.approved.has(approvalKey(server))) return 'awaitingApproval';
  }
  return 'stopped';
}
