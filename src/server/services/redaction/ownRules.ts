/**
 * The secret classes secretlint's recommended preset does not cover (each
 * checked against it by test/unit/server/redaction.test.ts): JWTs, Google
 * API keys, Azure keys and client secrets, private-key blocks of any type
 * (the preset knows RSA, DSA, EC, OpenSSH and PGP only), passwords in
 * connection strings of any scheme and in ADO.NET strings, and
 * high-entropy values assigned to secret-like names. Every regular
 * expression here is linear (no nested quantifiers over the same
 * characters); candidates are checked by code, not by longer patterns.
 * Pure.
 */
import type { Finding } from './types';

export interface OwnRule {
  /** The kinds this rule reports. */
  kinds: readonly string[];
  find(text: string): Finding[];
}

/** `eyJ` is base64 of `{"`: a JWT's header and payload both start with it. */
const JWT = /\beyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{16,}/g;

const jwt: OwnRule = {
  kinds: ['jwt'],
  find(text) {
    const found: Finding[] = [];
    for (const match of text.matchAll(JWT)) {
      const token = match[0];
      // A header that decodes to JSON naming an algorithm: not just three base64 runs that look alike.
      if (!jwtHeaderHasAlg(token.slice(0, token.indexOf('.')))) continue;
      found.push({ start: match.index, end: match.index + token.length, kind: 'jwt' });
    }
    return found;
  },
};

function jwtHeaderHasAlg(segment: string): boolean {
  try {
    const json: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof json === 'object' && json !== null && 'alg' in json;
  } catch {
    return false;
  }
}

const GOOGLE_API_KEY = /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g;

const google: OwnRule = {
  kinds: ['google-api-key'],
  find: (text) => [...text.matchAll(GOOGLE_API_KEY)].map((match) => ({ start: match.index, end: match.index + match[0].length, kind: 'google-api-key' })),
};

/** Storage account keys are 64 bytes (88 base64 characters); Service Bus / Event Hubs keys 32 bytes (44). */
const AZURE_ACCOUNT_KEY = /\bAccountKey=([A-Za-z0-9+/]{86}==)/g;
const AZURE_SHARED_KEY = /\bSharedAccessKey=([A-Za-z0-9+/]{42,43}=)/g;
/** A SAS token's signature (the part that grants access), in a URL or connection string that has a SAS version. */
const AZURE_SAS_SIG = /[?&;]sig=([A-Za-z0-9%+/]{30,100}(?:%3D|=){0,2})/gi;
/** Entra ID (Azure AD) client secrets: three characters, a digit, `Q~`, then 31 to 34. */
const AZURE_CLIENT_SECRET = /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g;

const azure: OwnRule = {
  kinds: ['azure-storage-key', 'azure-sas-token', 'azure-client-secret'],
  find(text) {
    const found: Finding[] = [];
    for (const pattern of [AZURE_ACCOUNT_KEY, AZURE_SHARED_KEY]) {
      for (const match of text.matchAll(pattern)) found.push(group(match, 1, 'azure-storage-key'));
    }
    for (const match of text.matchAll(AZURE_SAS_SIG)) {
      const line = lineAround(text, match.index);
      if (/[?&;]sv=\d{4}-\d{2}-\d{2}/i.test(line)) found.push(group(match, 1, 'azure-sas-token'));
    }
    for (const match of text.matchAll(AZURE_CLIENT_SECRET)) found.push({ start: match.index, end: match.index + match[0].length, kind: 'azure-client-secret' });
    return found;
  },
};

/**
 * Every PEM private key (`ENCRYPTED`, `DSA`, `EC`, plain PKCS#8 …), from its
 * BEGIN line to its END line, also with escaped newlines inside a JSON
 * string. The block must be mostly base64 and at least 40 characters:
 * `-----BEGIN PRIVATE KEY-----...` in documentation is left alone.
 */
const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ ){0,3})PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_MAX_CHARS = 16_384;

const privateKey: OwnRule = {
  kinds: ['private-key'],
  find(text) {
    const found: Finding[] = [];
    for (const match of text.matchAll(PEM_BEGIN)) {
      const endMarker = `-----END ${match[1] ?? ''}PRIVATE KEY`;
      const bodyStart = match.index + match[0].length;
      const end = text.indexOf(endMarker, bodyStart);
      if (end < 0 || end - bodyStart > PEM_MAX_CHARS) continue;
      const body = text.slice(bodyStart, end).replace(/\\[nr]|\s|Proc-Type:[^\n\\]*|DEK-Info:[^\n\\]*/g, '');
      if (body.length < 40 || !/^[A-Za-z0-9+/=]+$/.test(body)) continue;
      const close = text.indexOf('-----', end + endMarker.length);
      found.push({ start: match.index, end: close < 0 ? end + endMarker.length : close + 5, kind: 'private-key' });
    }
    return found;
  },
};

/** `scheme://user:password@host`: only the password goes (the model keeps the shape of the URL). */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]{1,20}):\/\/([^\s:@/'"`<>]{0,100}):([^\s@/'"`<>]{1,200})@(?=[^\s@/'"`<>]{1,253})/gi;
/** ADO.NET / ODBC connection strings: `Server=…;User Id=…;Password=…;`. */
const ADO_PASSWORD = /(?:^|[;"'\s])(?:password|pwd)\s*=\s*([^;'"\s]{1,200})/gi;
const ADO_CONTEXT = /(?:server|data source|host|addr|address|uid|user id|database|initial catalog)\s*=/i;

const connectionStrings: OwnRule = {
  kinds: ['connection-string-password'],
  find(text) {
    const found: Finding[] = [];
    for (const match of text.matchAll(URL_PASSWORD)) {
      const password = match[3] ?? '';
      if (isTemplate(password) || password === (match[2] ?? '') || /^\*+$|^x+$/i.test(password)) continue;
      const start = match.index + match[0].length - 1 - password.length;
      found.push({ start, end: start + password.length, kind: 'connection-string-password' });
    }
    for (const match of text.matchAll(ADO_PASSWORD)) {
      const password = match[1] ?? '';
      if (isTemplate(password) || password.length < 4 || !ADO_CONTEXT.test(lineAround(text, match.index))) continue;
      found.push(group(match, 1, 'connection-string-password'));
    }
    return found;
  },
};

/** Names that say "this holds a secret". */
const SECRET_NAME = /secret|passw(?:or)?d|passwd|(?:^|[^a-z])pwd|token|(?:api|access|auth|private|signing|encryption|session|master)[_-]?key|credential|bearer/i;
/** Names with such a word that are not secrets (`tokenizer`, `passwordField`, `max_tokens`, `csrf_token_name`). */
const NOT_SECRET_NAME = /tokeni[sz]|tokens?_?(?:count|type|limit|length|url|uri|endpoint|name|field|header|expir|ttl|usage)|max_?tokens|(?:password|secret|token|key)_?(?:field|label|placeholder|hint|policy|length|min|max|name|file|path|url|uri|env|var|header|prompt|regex|pattern|strength|reset|confirm|visible|hidden|input|type|id)\b|_?(?:length|count|file|path|url)$/i;
/** `name = "value"`, `name: 'value'`, `"name": "value"`, `name := "value"`, `name => "value"`. */
const QUOTED_ASSIGNMENT = /(["']?)([A-Za-z_$][\w$.-]{0,80})\1\s*(?::=|=>|==?|:)\s*(?:[a-z]?["'`])([^"'`\s\\]{8,256})["'`]/g;
/**
 * `.env` / shell / YAML lines: `NAME=value`, `export NAME=value`, `name: value`;
 * also as tools show them, after a line number (`40\t`) or a `path:40:` prefix.
 */
const BARE_ASSIGNMENT = /^[ \t]*(?:\d{1,9}[\t:|][ \t]*|[^\s:]{1,512}:\d{1,9}:[ \t]*)?(?:export[ \t]+)?([A-Za-z_][\w.-]{0,80})[ \t]*(?:=|:)[ \t]*([^\s'"`#;,]{8,256})[ \t]*(?:#.*)?$/gm;
const SECRET_NAME_HINT = /secret|passw|pwd|token|key|credential|bearer/gi;

const secretAssignment: OwnRule = {
  kinds: ['secret-value'],
  find(text) {
    const found: Finding[] = [];
    const seenLines = new Set<number>();
    // Only lines that mention a secret-like word are examined (cheap on ordinary code).
    for (const hint of text.matchAll(SECRET_NAME_HINT)) {
      const lineStart = text.lastIndexOf('\n', hint.index) + 1;
      if (seenLines.has(lineStart)) continue;
      seenLines.add(lineStart);
      let lineEnd = text.indexOf('\n', hint.index);
      if (lineEnd < 0) lineEnd = text.length;
      // Minified lines: look only near the hint.
      const from = Math.max(lineStart, hint.index - 200);
      const to = Math.min(lineEnd, hint.index + 400);
      const line = text.slice(from, to);
      for (const pattern of [QUOTED_ASSIGNMENT, BARE_ASSIGNMENT]) {
        pattern.lastIndex = 0;
        for (const match of line.matchAll(pattern)) {
          const name = pattern === QUOTED_ASSIGNMENT ? (match[2] ?? '') : (match[1] ?? '');
          const value = pattern === QUOTED_ASSIGNMENT ? (match[3] ?? '') : (match[2] ?? '');
          if (!isSecretName(name) || !looksLikeSecretValue(value)) continue;
          const start = from + match.index + match[0].lastIndexOf(value);
          found.push({ start, end: start + value.length, kind: 'secret-value' });
        }
      }
    }
    return found;
  },
};

export function isSecretName(name: string): boolean {
  const last = name.split('.').pop() ?? name;
  return SECRET_NAME.test(last) && !NOT_SECRET_NAME.test(last);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLACEHOLDER = /example|sample|dummy|placeholder|changeme|change_me|your[_-]?|replace|redacted|xxxx|\*\*\*|<[^>]*>|\$\{|\{\{|%[A-Z_]{3,30}%|^\$[A-Z_]|process\.env|os\.environ|getenv|^(?:true|false|null|undefined|none)$|^(?:sha\d+|md5)-/i;

/** A value that is likely a real secret: long enough, mixed, random-looking, not a placeholder or a reference. */
export function looksLikeSecretValue(value: string): boolean {
  if (value.length < 8 || PLACEHOLDER.test(value) || UUID.test(value)) return false;
  if (!/[A-Za-z]/.test(value) || /^\d[\d.:-]*$/.test(value)) return false;
  // A reference, not a value: `config.auth.token`, `self.secret`, `getToken()`.
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value) || /[()[\]{}]/.test(value)) return false;
  // A path or a URL without credentials is not a secret.
  if (/^(?:\.{0,2}\/|[a-z]+:\/\/)/i.test(value) && !/:[^/]*@/.test(value)) return false;
  // Words, not a key: `password_confirmation`, `session-cookie-name`, `bearer`.
  if (/^[A-Za-z]+(?:[_.-][A-Za-z]+)+$/.test(value) || /^[a-z]+$/.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
  const entropy = shannonEntropy(value);
  if (/\d/.test(value) && /[A-Za-z]/.test(value)) return entropy >= 3;
  return value.length >= 16 && classes >= 2 && entropy >= 3.5;
}

export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

function isTemplate(value: string): boolean {
  return /^[{<$%]|[{}<>]|^\$|^(?:password|pass|pwd|secret|changeme|example)$/i.test(value);
}

function group(match: RegExpMatchArray, index: number, kind: string): Finding {
  const value = match[index] ?? '';
  const start = (match.index ?? 0) + match[0].lastIndexOf(value);
  return { start, end: start + value.length, kind };
}

function lineAround(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  const end = text.indexOf('\n', index);
  return text.slice(start, end < 0 ? text.length : end);
}

export const OWN_RULES: readonly OwnRule[] = [jwt, google, azure, privateKey, connectionStrings, secretAssignment];
