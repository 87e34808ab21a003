/**
 * Fake secrets of every class the data boundary redacts, generated from a
 * seed (no literal secret lives in the repository: push protection and
 * scanners would rightly complain), each in the setting a person would paste
 * it in, with the exact value that must never leave the machine. And
 * look-alikes that must NOT be redacted: UUIDs, lockfile hashes, commit ids,
 * documentation placeholders, type annotations.
 */
import { pick, seededRandom } from './random';

export interface FakeSecret {
  /** The redaction kind expected. */
  kind: string;
  /** A line (or block) of text holding it, as it would appear in a file. */
  text: string;
  /** What must not be sent: the secret part of `text`. */
  value: string;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const BASE64 = `${ALNUM}+/`;
const URLSAFE = `${ALNUM}_-`;

export class SecretFactory {
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += pick(this.random, [...alphabet]);
    // Random strings are mixed: guarantee a digit and a letter so no rule's entropy check is luck.
    return alphabet.includes('7') && alphabet.includes('k') && length >= 4 ? `${out.slice(0, -2)}7k` : out;
  }

  /** One of every kind, in the settings people paste them in. */
  all(): FakeSecret[] {
    const c = (alphabet: string, n: number): string => this.chars(alphabet, n);
    const list: FakeSecret[] = [];
    const add = (kind: string, text: (value: string) => string, value: string): void => void list.push({ kind, text: text(value), value });

    add('aws-access-key-id', (v) => `AWS_ACCESS_KEY_ID=${v}`, `AKIA${c(UPPER + DIGITS, 16)}`);
    add('aws-secret-access-key', (v) => `aws_secret_access_key = "${v}"`, c(BASE64, 40));
    add('github-token', (v) => `const token = '${v}';`, `ghp_${c(ALNUM, 36)}`);
    add('github-token', (v) => `GH_TOKEN: ${v}`, `github_pat_${c(ALNUM + '_', 82)}`);
    add('gitlab-token', (v) => `git clone https://oauth2@gitlab.com/x.git # token ${v}`, `glpat-${c(ALNUM, 20)}`);
    add('slack-token', (v) => `slack.chat.postMessage({ token: "${v}" })`, `xoxb-${c(DIGITS, 12)}-${c(DIGITS, 13)}-${c(ALNUM, 24)}`);
    add('slack-webhook', (v) => `WEBHOOK = ${v}`, `https://hooks.slack.com/services/T${c(UPPER + DIGITS, 9)}/B${c(UPPER + DIGITS, 9)}/${c(ALNUM, 24)}`);
    add('stripe-key', (v) => `stripe.setApiKey("${v}")`, `sk_live_${c(ALNUM, 24)}`);
    add('openai-api-key', (v) => `client = OpenAI(api_key="${v}")`, `sk-proj-${c(URLSAFE, 74)}T3BlbkFJ${c(URLSAFE, 74)}`);
    add('openai-api-key', (v) => `openai.api_key = "${v}"`, `sk-${c(ALNUM, 20)}T3BlbkFJ${c(ALNUM, 20)}`);
    add('anthropic-api-key', (v) => `ANTHROPIC_API_KEY=${v}`, `sk-ant-api03-${c(URLSAFE, 93)}AA`);
    add('google-api-key', (v) => `const maps = new Maps({ key: '${v}' });`, `AIza${c(URLSAFE, 35)}`);
    add('azure-storage-key', (v) => `"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${v};EndpointSuffix=core.windows.net"`, `${c(BASE64, 86)}==`);
    add('azure-client-secret', (v) => `tenant: contoso\nclient_secret_value ${v}`, `${c(ALNUM, 3)}8Q~${c(ALNUM + '_~.-', 34)}`);
    add('azure-sas-token', (v) => `fetch("https://acct.blob.core.windows.net/c/f.txt?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&sig=${v}")`, `${c(ALNUM, 42)}%3D`);
    const rsa = `MII${c(BASE64, 61)}\n${Array.from({ length: 6 }, () => c(BASE64, 64)).join('\n')}`;
    add('private-key', (v) => `-----BEGIN RSA PRIVATE KEY-----\n${v}\n-----END RSA PRIVATE KEY-----`, rsa);
    const encrypted = Array.from({ length: 5 }, () => c(BASE64, 64)).join('\n');
    add('private-key', (v) => `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${v}\n-----END ENCRYPTED PRIVATE KEY-----`, encrypted);
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: c(DIGITS, 10), name: 'Fake Person', iat: 1_700_000_000 })).toString('base64url');
    add('jwt', (v) => `Authorization: Bearer ${v}`, `${header}.${payload}.${c(URLSAFE, 43)}`);
    add('connection-string-password', (v) => `DATABASE_URL=postgres://app_user:${v}@db.internal:5432/app`, c(ALNUM, 18));
    add('connection-string-password', (v) => `mongo = "mongodb+srv://svc:${v}@cluster0.abcde.mongodb.net/prod"`, c(ALNUM, 16));
    add('connection-string-password', (v) => `REDIS_URL=redis://default:${v}@cache.internal:6379/0`, c(ALNUM, 20));
    add('connection-string-password', (v) => `"Server=tcp:sql.example.net,1433;Database=app;User ID=sa;Password=${v};Encrypt=true"`, c(ALNUM, 14));
    add('secret-value', (v) => `DB_PASSWORD="${v}"`, c(ALNUM + '!#%', 20));
    add('secret-value', (v) => `session:\n  signing_key: ${v}\n`, c(ALNUM, 32));
    add('secret-value', (v) => `export SESSION_SECRET=${v}`, c(ALNUM, 24));
    add('npm-token', (v) => `//registry.npmjs.org/:_authToken=${v}`, `npm_${c(ALNUM, 36)}`);
    return list;
  }

  /** Look-alikes that must pass unchanged, each with the rule family it resembles. */
  lookAlikes(): Array<{ resembles: string; text: string }> {
    const c = (alphabet: string, n: number): string => this.chars(alphabet, n);
    const hex = (n: number): string => c('0123456789abcdef', n);
    const uuid = `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    return [
      { resembles: 'secret-value', text: `const requestToken = "${uuid}";` },
      { resembles: 'secret-value', text: `  "node_modules/js-tokens": {\n    "version": "4.0.0",\n    "resolved": "https://registry.npmjs.org/js-tokens/-/js-tokens-4.0.0.tgz",\n    "integrity": "sha512-${c(BASE64, 86)}=="\n  },` },
      { resembles: 'secret-value', text: `"@types/tokenizer@^1.0.0":\n  checksum: ${hex(128)}` },
      { resembles: 'secret-value', text: `commit ${hex(40)}\nAuthor: Someone <someone@example.com>` },
      { resembles: 'secret-value', text: `api_key = "your-api-key-here"` },
      { resembles: 'secret-value', text: `password: "<password>"` },
      { resembles: 'secret-value', text: `DB_PASSWORD=changeme` },
      { resembles: 'secret-value', text: `const password: string = getPassword(user.id);` },
      { resembles: 'secret-value', text: `const token = request.headers.authorization;` },
      { resembles: 'secret-value', text: `maxTokens: 4096, tokenizer: "cl100k_base",` },
      { resembles: 'secret-value', text: `OPENAI_API_KEY=\${OPENAI_API_KEY}` },
      { resembles: 'secret-value', text: `apiKey: process.env.OPENAI_API_KEY,` },
      { resembles: 'secret-value', text: `password_field = "password_confirmation"` },
      { resembles: 'aws-access-key-id', text: `AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE` },
      { resembles: 'github-token', text: `const prefix = 'ghp_'; // then 36 characters` },
      { resembles: 'openai-api-key', text: `OPENAI_API_KEY=sk-...` },
      { resembles: 'google-api-key', text: `AIzaShort123` },
      { resembles: 'connection-string-password', text: `DATABASE_URL=postgres://user:password@localhost:5432/app` },
      { resembles: 'connection-string-password', text: `url = f"postgres://{user}:{password}@{host}/db"` },
      { resembles: 'connection-string-password', text: `https://someone@example.com/path and http://localhost:8080/v1` },
      { resembles: 'private-key', text: `-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----` },
      { resembles: 'jwt', text: `eyJ${c(ALNUM, 20)}.eyJ${c(ALNUM, 20)}.${c(ALNUM, 30)}` },
      { resembles: 'azure-client-secret', text: `const approx = "x~y"; // Q~ is not special here` },
      { resembles: 'secret-value', text: `<img src="data:image/png;base64,iVBORw0KGgo${c(BASE64, 60)}">` },
      { resembles: 'secret-value', text: `sha256: "${hex(64)}"` },
      { resembles: 'aws-secret-access-key', text: `aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"` },
      { resembles: 'gitlab-token', text: `const prefix = 'glpat-'; // glpat-${c(ALNUM, 8)} is too short` },
      { resembles: 'slack-token', text: `if (token.startsWith('xoxb-')) return 'bot';` },
      { resembles: 'stripe-key', text: `const publishable = 'pk_live_${c(ALNUM, 24)}'; // sk_live_ keys stay on the server` },
      { resembles: 'anthropic-api-key', text: `keys look like sk-ant-api03-${c(ALNUM, 12)}…` },
      { resembles: 'npm-token', text: `npm_config_registry=https://registry.npmjs.org/` },
      { resembles: 'azure-storage-key', text: `"AzureWebJobsStorage": "UseDevelopmentStorage=true", "AccountKey": "<your-key>"` },
      { resembles: 'azure-sas-token', text: `const url = \`\${base}?sig=\${signature}\`; // sig= without a SAS version` },
      { resembles: 'slack-webhook', text: `Post to the channel's incoming webhook (https://hooks.slack.com/services/...)` },
    ];
  }
}
