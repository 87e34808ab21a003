/**
 * The secret classes secretlint's recommended preset does not cover (each
 * checked against it by test/unit/server/redaction.test.ts): JWTs, Google
 * API keys, Azure keys and client secrets, private-key blocks of any type
 * (the preset knows RSA, DSA, EC, OpenSSH and PGP only), passwords in
 * connection strings of any scheme and in ADO.NET strings, and
 * high-entropy values assigned to secret-like names. Each rule looks only
 * where anchors.ts found its marker, with a sticky expression anchored
 * there: a megabyte of ordinary code costs a few milliseconds in all.
 * Every expression is linear (no nested quantifiers over the same
 * characters). Pure.
 */
import { PemEnds, type Anchor } from './anchors';
import type { Finding } from './types';

export interface OwnRule {
  /** The kinds this rule reports. */
  kinds: readonly string[];
  find(text: string, anchors: readonly Anchor[]): Finding[];
}

/** `re` (sticky) matched at `at`, or undefined. */
function matchAt(re: RegExp, text: string, at: number): RegExpExecArray | undefined {
  re.lastIndex = at;
  return re.exec(text) ?? undefined;
}

/** Whether the character before `at` would glue a token to a longer one. */
function gluedBefore(text: string, at: number, chars: RegExp): boolean {
  return at > 0 && chars.test(text[at - 1] ?? '');
}

/** `eyJ` is base64 of `{"`: a JWT's header and payload both start with it. */
const JWT = /eyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{16,}/y;
const TOKEN_CHAR = /[A-Za-z0-9_-]/;

const jwt: OwnRule = {
  kinds: ['jwt'],
  find(text, anchors) {
    const found: Finding[] = [];
    for (const { at, match } of anchors) {
      if (match !== 'eyJ' || gluedBefore(text, at, TOKEN_CHAR)) continue;
      const token = matchAt(JWT, text, at)?.[0];
      // A header that decodes to JSON naming an algorithm: not just three base64 runs that look alike.
      if (token === undefined || !jwtHeaderHasAlg(token.slice(0, token.indexOf('.')))) continue;
      found.push({ start: at, end: at + token.length, kind: 'jwt' });
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

const GOOGLE_API_KEY = /AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/y;

const google: OwnRule = {
  kinds: ['google-api-key'],
  find(text, anchors) {
    const found: Finding[] = [];
    for (const { at, match } of anchors) {
      if (match !== 'AIza' || gluedBefore(text, at, TOKEN_CHAR)) continue;
      const key = matchAt(GOOGLE_API_KEY, text, at)?.[0];
      if (key !== undefined) found.push({ start: at, end: at + key.length, kind: 'google-api-key' });
    }
    return found;
  },
};

/** Storage account keys are 64 bytes (88 base64 characters); Service Bus / Event Hubs keys 32 bytes (44). */
const AZURE_ACCOUNT_KEY = /AccountKey=([A-Za-z0-9+/]{86}==)/y;
const AZURE_SHARED_KEY = /SharedAccessKey=([A-Za-z0-9+/]{42,43}=)/y;
/** A SAS token's signature (the part that grants access), in a URL or connection string that has a SAS version. */
const AZURE_SAS_SIG = /sig=([A-Za-z0-9%+/]{30,100}(?:%3D|=){0,2})/iy;
/** Entra ID (Azure AD) client secrets: three characters, a digit, `Q~`, then 31 to 34. */
const AZURE_CLIENT_SECRET = /[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/y;
const SECRET_CHAR = /[A-Za-z0-9_~.-]/;

const azure: OwnRule = {
  kinds: ['azure-storage-key', 'azure-sas-token', 'azure-client-secret'],
  find(text, anchors) {
    const found: Finding[] = [];
    for (const { at, match } of anchors) {
      if (match === 'AccountKey=' || match === 'SharedAccessKey=') {
        const key = matchAt(match === 'AccountKey=' ? AZURE_ACCOUNT_KEY : AZURE_SHARED_KEY, text, at);
        if (key) found.push(group(key, 1, 'azure-storage-key'));
      } else if (match.toLowerCase() === 'sig=' && /[?&;]/.test(text[at - 1] ?? '')) {
        const sig = matchAt(AZURE_SAS_SIG, text, at);
        if (sig && /[?&;]sv=\d{4}-\d{2}-\d{2}/i.test(lineAround(text, at))) found.push(group(sig, 1, 'azure-sas-token'));
      } else if (match === 'Q~' && at >= 4 && !gluedBefore(text, at - 4, SECRET_CHAR)) {
        const secret = matchAt(AZURE_CLIENT_SECRET, text, at - 4);
        if (secret) found.push({ start: at - 4, end: at - 4 + secret[0].length, kind: 'azure-client-secret' });
      }
    }
    return found;
  },
};

/**
 * Every PEM private key (`ENCRYPTED`, `DSA`, `EC`, plain PKCS#8 …), from its
 * BEGIN line to its END line, also with escaped newlines inside a JSON
 * string. The block must be mostly base64 and at least 40 characters:
 * `-----BEGIN PRIVATE KEY-----...` in documentation is left alone.
 */
const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ ){0,3})PRIVATE KEY(?: BLOCK)?-----/y;
const PEM_MAX_CHARS = 16_384;

const privateKey: OwnRule = {
  kinds: ['private-key'],
  find(text, anchors) {
    const found: Finding[] = [];
    const ends = new PemEnds(text);
    for (const { at, match: anchor } of anchors) {
      if (anchor !== '-----BEGIN') continue;
      const match = matchAt(PEM_BEGIN, text, at);
      if (!match) continue;
      const endMarker = `-----END ${match[1] ?? ''}PRIVATE KEY`;
      const bodyStart = at + match[0].length;
      const end = ends.next(bodyStart, PEM_MAX_CHARS);
      if (end < 0 || !text.startsWith(endMarker, end)) continue;
      const body = text.slice(bodyStart, end).replace(/\\[nr]|\s|Proc-Type:[^\n\\]*|DEK-Info:[^\n\\]*/g, '');
      if (body.length < 40 || !/^[A-Za-z0-9+/=]+$/.test(body)) continue;
      const close = text.indexOf('-----', end + endMarker.length);
      found.push({ start: at, end: close < 0 ? end + endMarker.length : close + 5, kind: 'private-key' });
    }
    return found;
  },
};

/** `scheme://user:password@host`, from the scheme on: only the password goes (the model keeps the shape of the URL). */
const URL_PASSWORD = /[a-z][a-z0-9+.-]{1,20}:\/\/([^\s:@/'"`<>]{0,100}):([^\s@/'"`<>]{1,200})@(?=[^\s@/'"`<>]{1,253})/iy;
const SCHEME_CHAR = /[a-z0-9+.-]/i;
/** ADO.NET / ODBC connection strings: `Server=…;User Id=…;Password=…;`. */
const ADO_PASSWORD = /(?:password|pwd)\s*=\s*([^;'"\s]{1,200})/iy;
const ADO_CONTEXT = /(?:server|data source|host|addr|address|uid|user id|database|initial catalog)\s*=/i;

const connectionStrings: OwnRule = {
  kinds: ['connection-string-password'],
  find(text, anchors) {
    const found: Finding[] = [];
    for (const { at, match } of anchors) {
      if (match === '://') {
        let start = at;
        while (start > 0 && at - start < 21 && SCHEME_CHAR.test(text[start - 1] ?? '')) start--;
        const url = matchAt(URL_PASSWORD, text, start);
        const password = url?.[2] ?? '';
        if (!url || isTemplate(password) || password === (url[1] ?? '') || /^\*+$|^x+$/i.test(password)) continue;
        const from = start + url[0].length - 1 - password.length;
        found.push({ start: from, end: from + password.length, kind: 'connection-string-password' });
      } else if (/^(?:passw|pwd)$/i.test(match) && (at === 0 || /[;"'\s]/.test(text[at - 1] ?? ''))) {
        const ado = matchAt(ADO_PASSWORD, text, at);
        const password = ado?.[1] ?? '';
        if (!ado || isTemplate(password) || password.length < 4 || !ADO_CONTEXT.test(lineAround(text, at))) continue;
        found.push(group(ado, 1, 'connection-string-password'));
      }
    }
    return found;
  },
};

/** Names that say "this holds a secret". */
const SECRET_NAME = /secret|passw(?:or)?d|passwd|(?:^|[^a-z])pwd|token|(?:api|access|auth|private|signing|encryption|session|master)[_-]?key|credential|bearer/i;
/** Names with such a word that are not secrets (`tokenizer`, `passwordField`, `max_tokens`, `csrf_token_name`). */
const NOT_SECRET_NAME = /tokeni[sz]|tokens?_?(?:count|type|limit|length|url|uri|endpoint|name|field|header|expir|ttl|usage)|max_?tokens|(?:password|secret|token|key)_?(?:field|label|placeholder|hint|policy|length|min|max|name|file|path|url|uri|env|var|header|prompt|regex|pattern|strength|reset|confirm|visible|hidden|input|type|id)\b|_?(?:length|count|file|path|url)$/i;
/** After a name: `= "value"`, `: 'value'`, `": "value"`, `:= "value"`, `=> "value"`. */
const QUOTED_VALUE = /["']?\s*(?::=|=>|==?|:)\s*[a-z]?["'`]([^"'`\s\\]{8,256})["'`]/y;
/** After a name on a `.env` / shell / YAML line: `=value`, `: value` to the end of the line. */
const BARE_VALUE = /[ \t]*(?:=|:)[ \t]*([^\s'"`#;,]{8,256})[ \t]*(?:#[^\n]*)?(?=\r?\n|$)/y;
/** What may stand before such a name on its line: indentation, `export`, and the line numbers tools print (`40\t`, `path:40:`). */
const BARE_PREFIX = /^[ \t]*(?:\d{1,9}[\t:|][ \t]*|[^\s:]{1,512}:\d{1,9}:[ \t]*)?(?:export[ \t]+)?$/;
/**
 * An environment assignment inside a command line or its output (`echo: export API_TOKEN=…`,
 * `docker run -e API_TOKEN=… img`, `ENV API_TOKEN=…`): `=` right after the name, the value up
 * to the next blank or shell separator. Only for UPPER_SNAKE names or after `export`, where a
 * bare value is a setting rather than code.
 */
const ENV_VALUE = /=([^\s'"`#;,&|()<>]{8,256})(?=[\s;&|()'"`<>]|$)/y;
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;
const BEFORE_ENV_NAME = /^$|[\s;&|(`"'=]$/;
const NAME_CHAR = /[\w$.-]/;
const ASSIGNS_NEXT = /^["']?[ \t]*[:=]/;
const MAX_NAME_CHARS = 80;
const MAX_BARE_PREFIX_CHARS = 600;

const secretAssignment: OwnRule = {
  kinds: ['secret-value'],
  find(text, anchors) {
    const found: Finding[] = [];
    // A value seen again (a `.env` pasted twice, a hostile text repeating one line) is judged once.
    const judged = new Map<string, boolean>();
    let done = -1;
    for (const { at, match } of anchors) {
      if (at < done || !/^(?:secret|passw|pwd|token|key|credential|bearer)$/i.test(match)) continue;
      // The whole name around the secret-like word.
      let start = at;
      while (start > 0 && at - start < MAX_NAME_CHARS && NAME_CHAR.test(text[start - 1] ?? '')) start--;
      let end = at + match.length;
      while (end < text.length && end - at < MAX_NAME_CHARS && NAME_CHAR.test(text[end] ?? '')) end++;
      done = end;
      // Cheap first: an assignment must follow the name (most `key`s in code are `keyof`, `keys()`, `key,`).
      if (!ASSIGNS_NEXT.test(text.slice(end, end + 4))) continue;
      const name = text.slice(start, end);
      if (!isSecretName(name)) continue;
      const quoted = matchAt(QUOTED_VALUE, text, end);
      let value = quoted?.[1];
      let matched = quoted;
      if (value === undefined) {
        let lineStart = start;
        while (lineStart > 0 && start - lineStart <= MAX_BARE_PREFIX_CHARS && text.charCodeAt(lineStart - 1) !== 10) lineStart--;
        const atLineStart = lineStart === 0 || text.charCodeAt(lineStart - 1) === 10;
        const bare = atLineStart && BARE_PREFIX.test(text.slice(lineStart, start)) ? matchAt(BARE_VALUE, text, end) : undefined;
        value = bare?.[1];
        matched = bare;
        if (value === undefined && BEFORE_ENV_NAME.test(text.slice(Math.max(0, start - 1), start)) && (ENV_NAME.test(name) || /(?:^|\s)export[ \t]+$/.test(text.slice(Math.max(0, start - 16), start)))) {
          matched = matchAt(ENV_VALUE, text, end);
          value = matched?.[1];
        }
      }
      if (value === undefined || matched === undefined || namesItself(name, value)) continue;
      let secret = judged.get(value);
      if (secret === undefined) judged.set(value, (secret = looksLikeSecretValue(value)));
      if (!secret) continue;
      const from = end + matched[0].lastIndexOf(value);
      found.push({ start: from, end: from + value.length, kind: 'secret-value' });
    }
    return found;
  },
};

export function isSecretName(name: string): boolean {
  const last = name.split('.').pop() ?? name;
  return SECRET_NAME.test(last) && !NOT_SECRET_NAME.test(last);
}

/** A label, not a secret: the value repeats the name (`'1password': '1password-token'`). */
function namesItself(name: string, value: string): boolean {
  const last = (name.split('.').pop() ?? name).toLowerCase().replace(/^["']|["']$/g, '');
  return last.length >= 3 && value.toLowerCase().includes(last);
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

/** `index`'s line, at most `LINE_CONTEXT_CHARS` either side (a search per anchor must not run the length of a huge line). */
function lineAround(text: string, index: number): string {
  const from = Math.max(0, index - LINE_CONTEXT_CHARS);
  const to = Math.min(text.length, index + LINE_CONTEXT_CHARS);
  let start = index;
  while (start > from && text.charCodeAt(start - 1) !== 10) start--;
  let end = index;
  while (end < to && text.charCodeAt(end) !== 10) end++;
  return text.slice(start, end);
}

const LINE_CONTEXT_CHARS = 512;

export const OWN_RULES: readonly OwnRule[] = [jwt, google, azure, privateKey, connectionStrings, secretAssignment];
