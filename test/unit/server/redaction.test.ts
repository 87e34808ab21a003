/**
 * Content redaction: every rule finds its secrets (generated, several seeds,
 * in the settings people paste them in) and leaves their look-alikes alone;
 * the pre-filter finds exactly what a full secretlint scan finds; the
 * placeholders of one request are stable, typed and numbered; the values
 * come back only through `restore`.
 */
import assert from 'node:assert/strict';
import { DataBoundary, type OutgoingRequest } from '../../../src/server/services/dataBoundary';
import { isSecretName, looksLikeSecretValue, OWN_RULES } from '../../../src/server/services/redaction/ownRules';
import { findSecrets } from '../../../src/server/services/redaction/scan';
import { candidateWindows, kindOf, secretlintFindings } from '../../../src/server/services/redaction/secretlint';
import { SecretFactory, type FakeSecret } from '../../support/fakeSecrets';
import { pick, seededRandom } from '../../support/random';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

function open(): OutgoingRequest {
  const opened = new DataBoundary().open('chat', 'http://127.0.0.1:1/v1', {});
  if ('refused' in opened) throw new Error('refused');
  return opened;
}

/** Where `secret.value` sits in its text; a multi-line value (a key body) by its first line. */
function valueSpan(secret: FakeSecret): [number, number] {
  const at = secret.text.indexOf(secret.value);
  assert.ok(at >= 0, `fake ${secret.kind}: its value is not in its text`);
  return [at, at + secret.value.length];
}

/** Some ordinary TypeScript around the secrets: identifiers, URLs, hashes, numbers. */
function ordinarySource(random: () => number, lines: number): string {
  const words = ['const', 'value', 'token', 'parse', 'config', 'return', 'await', 'fetch', 'https://example.com/api/v1', 'AKIA', 'sk-', 'ghp', '-----', 'password', 'secret'];
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const a = pick(random, words);
    const b = pick(random, words);
    out.push(`  ${a}_${i} = ${JSON.stringify(`${b} ${Math.floor(random() * 1e6).toString(16)}`)}; // ${a} ${b}`);
  }
  return out.join('\n');
}

describe('data boundary: secret rules', () => {
  for (const seed of SEEDS) {
    it(`finds every fake secret with its kind and replaces all of its value (seed ${seed})`, async () => {
      for (const secret of new SecretFactory(seed).all()) {
        const findings = await findSecrets(secret.text);
        const [from, to] = valueSpan(secret);
        const covering = findings.find((finding) => finding.start <= from && finding.end >= to);
        assert.ok(covering, `${secret.kind} not found in ${JSON.stringify(secret.text.slice(0, 120))}: ${JSON.stringify(findings)}`);
        assert.equal(covering.kind, secret.kind, `kind of ${JSON.stringify(secret.text.slice(0, 80))}`);
        const sent = await open().text(secret.text);
        for (const line of secret.value.split('\n')) assert.ok(!sent.includes(line), `${secret.kind}: part of the value was sent: ${sent}`);
        assert.match(sent, new RegExp(`\\[REDACTED:${secret.kind}\\]`));
      }
    });

    it(`leaves every look-alike unchanged: UUIDs, lockfile hashes, commit ids, placeholders (seed ${seed})`, async () => {
      for (const lookAlike of new SecretFactory(seed).lookAlikes()) {
        const findings = await findSecrets(lookAlike.text);
        assert.deepEqual(
          findings.map((f) => `${f.kind}: ${lookAlike.text.slice(f.start, f.end)}`),
          [],
          `a ${lookAlike.resembles} look-alike was redacted: ${lookAlike.text.slice(0, 120)}`,
        );
        assert.equal(await open().text(lookAlike.text), lookAlike.text);
      }
    });
  }

  it('covers every class the issue names, each kind with positives and look-alikes (and every own rule kind)', () => {
    const kinds = new Set(new SecretFactory(1).all().map((secret) => secret.kind));
    const named = [
      'aws-access-key-id', 'aws-secret-access-key', 'github-token', 'gitlab-token', 'slack-token', 'stripe-key', 'openai-api-key', 'anthropic-api-key',
      'google-api-key', 'azure-storage-key', 'azure-client-secret', 'azure-sas-token', 'private-key', 'jwt', 'connection-string-password', 'secret-value',
    ];
    for (const kind of [...named, ...OWN_RULES.flatMap((rule) => rule.kinds)]) assert.ok(kinds.has(kind), `no positive test for ${kind}`);
    const resembled = new Set(new SecretFactory(1).lookAlikes().map((l) => l.resembles));
    for (const kind of kinds) assert.ok(resembled.has(kind), `no negative test (look-alike) for ${kind}`);
  });

  it('finds secrets in the middle of ordinary code, at the start and at the end of a text, and in a minified line', async () => {
    const random = seededRandom(11);
    for (const secret of new SecretFactory(12).all()) {
      const around = ordinarySource(random, 20);
      const minified = `${'a=1;'.repeat(3000)}${secret.text.replaceAll('\n', '\\n')}${';b=2'.repeat(3000)}`;
      // A minified file holds quoted values (`apiKey:"…"`), not `.env` or YAML lines.
      const shapes = [`${around}\n${secret.text}\n${around}`, secret.text, `${around}\n${secret.text}`];
      if (secret.kind !== 'secret-value' || /["']/.test(secret.text)) shapes.push(minified);
      for (const text of shapes) {
        const sent = await open().text(text);
        const first = secret.value.split('\n')[0] ?? '';
        assert.ok(!sent.includes(first), `${secret.kind} leaked from a text of ${text.length} characters`);
      }
    }
  });

  it('finds environment assignments inside command lines and tool output, not only at a line start', async () => {
    // What an agent's tool result or a terminal shows: a prefix before the assignment, more after it.
    const before = ['echo: export ', 'echo: ', '$ export ', '$ ', '> ', '+ ', '[build] ', 'RUN export ', 'ENV ', 'docker run --rm -e ', 'docker run --env=', 'env ', 'sudo -E env ', 'result: "', "(", 'cmd && '];
    const after = ['', ' && npm start', '; node app.js', ' node server.js', '"', ')', ' | tee log', '\nnext line'];
    const names = ['SESSION_SECRET', 'API_TOKEN', 'DB_PASSWORD', 'GITHUB_TOKEN', 'STRIPE_API_KEY', 'AUTH_KEY'];
    for (const seed of [1, 2, 3]) {
      const random = seededRandom(seed);
      const factory = new SecretFactory(seed);
      for (const prefix of before) {
        for (const suffix of after) {
          const name = pick(random, names);
          const value = factory.chars('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789', 20 + Math.floor(random() * 20));
          const text = `${prefix}${name}=${value}${suffix}`;
          const sent = await open().text(text);
          assert.ok(!sent.includes(value), `leaked from ${JSON.stringify(text)}: ${sent}`);
        }
      }
    }
    // Code and settings that only look like it stay as they are.
    for (const text of ['MAX_TOKENS=4096 node app.js', 'echo TOKEN_URL=https://auth.example.com/token', 'if (API_TOKEN==previousValue) {}', '$ export API_TOKEN=${API_TOKEN}', 'env API_KEY=changeme_please node x', 'const keyCount=someLongVariableName1;']) {
      assert.equal(await open().text(text), text, text);
    }
  });

  it('does not honour secretlint-disable comments (repository content cannot switch redaction off)', async () => {
    const secret = new SecretFactory(3).all().find((s) => s.kind === 'github-token') as FakeSecret;
    for (const comment of ['// secretlint-disable', '/* secretlint-disable-next-line */', '# secretlint-disable-line']) {
      const sent = await open().text(`${comment}\n${secret.text} ${comment}`);
      assert.ok(!sent.includes(secret.value), comment);
    }
  });

  it('the pre-filter finds exactly what a full secretlint scan finds (random files with secrets, look-alikes and noise)', async () => {
    const random = seededRandom(99);
    for (let round = 0; round < 12; round++) {
      const factory = new SecretFactory(100 + round);
      const parts = [ordinarySource(random, 40)];
      for (const secret of factory.all()) if (random() < 0.5) parts.push(secret.text, ordinarySource(random, 3));
      for (const lookAlike of factory.lookAlikes()) if (random() < 0.5) parts.push(lookAlike.text);
      const text = parts.join(random() < 0.5 ? '\n' : '\r\n');
      const fast = await secretlintFindings(text);
      const full = await secretlintFindings(text, { prefilter: false });
      assert.deepEqual(fast, full, `round ${round}`);
    }
  });

  it('the pre-filter sends only the lines around candidates to secretlint', () => {
    const text = `${'const x = 1;\n'.repeat(1000)}const t = "ghp_${'a'.repeat(36)}";\n${'let y = 2;\n'.repeat(1000)}`;
    const windows = candidateWindows(text);
    assert.equal(windows.length, 1);
    const window = windows[0];
    assert.ok(window && window.end - window.start < 60, JSON.stringify(window));
    assert.deepEqual(candidateWindows('const a = 1;\nlet b = "plain";\n'), []);
  });

  it('names kinds from secretlint messages, and drops what is no secret (an AWS account id)', () => {
    assert.equal(kindOf({ ruleId: '@secretlint/secretlint-rule-github', messageId: 'GITHUB_TOKEN' }), 'github-token');
    assert.equal(kindOf({ ruleId: '@secretlint/secretlint-rule-aws', messageId: 'AWSAccountID' }), undefined);
    assert.equal(kindOf({ ruleId: '@secretlint/secretlint-rule-slack', messageId: 'IncomingWebhook' }), 'slack-webhook');
    assert.equal(kindOf({ ruleId: '@secretlint/secretlint-rule-newthing', messageId: 'X' }), 'newthing-secret');
  });

  it('secret-like names and values: the checks behind the generic rule', () => {
    for (const name of ['password', 'DB_PASSWORD', 'apiKey', 'api_key', 'client_secret', 'auth.token', 'SESSION_SECRET', 'x-api-key']) assert.ok(isSecretName(name), name);
    for (const name of ['tokenizer', 'maxTokens', 'max_tokens', 'password_field', 'tokenType', 'secretName', 'username', 'keyboard']) assert.ok(!isSecretName(name), name);
    for (const value of ['hunter2xyz42', 'Zk8Lm2Np4Rs6Tv8X', 'Q2xhc3NpY1Bhc3N3b3JkMTIz']) assert.ok(looksLikeSecretValue(value), value);
    for (const value of ['changeme', 'your-api-key-here', '${API_KEY}', 'process.env.TOKEN', 'config.auth.token', '3f2b6c1e-9d4a-4e2b-8f3c-1a2b3c4d5e6f', 'password_confirmation', '12345678', 'getToken()']) {
      assert.ok(!looksLikeSecretValue(value), value);
    }
  });
});

describe('data boundary: placeholders of one request', () => {
  const [a, b] = new SecretFactory(21).all().filter((s) => s.kind === 'github-token');

  it('gives the same value the same placeholder in every text of the request, and a distinct value the next number', async () => {
    assert.ok(a && b);
    const request = open();
    const first = await request.text(`x = '${a.value}'`);
    const second = await request.text(`again ${a.value} and ${b.value}`);
    assert.equal(first, `x = '[REDACTED:github-token]'`);
    assert.equal(second, 'again [REDACTED:github-token] and [REDACTED:github-token-2]');
    assert.deepEqual(request.report(), { redactions: [{ kind: 'github-token', count: 2 }], refused: [] });
  });

  it('redacting a redacted text changes nothing: a placeholder is never taken for a secret (every kind, in its setting)', async () => {
    for (const seed of [1, 2, 3]) {
      const request = open();
      const all = new SecretFactory(seed).all();
      const once = await request.text(all.map((s) => s.text).join('\n'));
      const report = JSON.stringify(request.report());
      // A new text (not the cached one) holding the placeholders, as the chat's prompt holds its redacted context.
      const twice = await request.text(`Context:\n${once}\nQuestion?`);
      assert.equal(twice, `Context:\n${once}\nQuestion?`, `seed ${seed}`);
      assert.equal(JSON.stringify(request.report()), report, 'no new kinds or counts');
      assert.equal(await open().text(once), once, 'nor in another request');
    }
  });

  it('a new request starts over', async () => {
    assert.ok(b);
    assert.equal(await open().text(b.value), '[REDACTED:github-token]');
  });

  it('restores the values into an answer (locally), and leaves unknown placeholders alone', async () => {
    assert.ok(a);
    const request = open();
    await request.text(a.value);
    assert.equal(request.restore('use [REDACTED:github-token] not [REDACTED:github-token-9]'), `use ${a.value} not [REDACTED:github-token-9]`);
  });

  it('a value found once is replaced wherever it appears later, even where no rule would see it', async () => {
    const secret = new SecretFactory(5).all().find((s) => s.kind === 'secret-value') as FakeSecret;
    const request = open();
    await request.text(secret.text);
    const sent = await request.text(`echo ${secret.value}`);
    assert.ok(!sent.includes(secret.value), sent);
  });

  it('a value found in a later text of the request is also taken out of the earlier ones (numbered listings, then cat)', async () => {
    const secret = new SecretFactory(6).all().find((s) => s.kind === 'secret-value' && s.text.startsWith('export')) as FakeSecret;
    const request = open();
    const listing = `1\t# config\n2\t SESSION = ${secret.value}`;
    const [first, second] = await request.texts([listing, secret.text]);
    assert.ok(!first?.includes(secret.value), first);
    assert.ok(!second?.includes(secret.value), second);
    // And a text cleared before the value was known is cleaned when it is sent again.
    const late = open();
    const early = await late.text(listing);
    assert.ok(early.includes(secret.value), 'no rule sees it here on its own');
    await late.text(secret.text);
    assert.ok(!(await late.text(listing)).includes(secret.value));
  });

  it('reports kinds and counts only: the report never holds a value', async () => {
    const request = open();
    const all = new SecretFactory(8).all();
    await request.text(all.map((s) => s.text).join('\n'));
    const report = JSON.stringify(request.report());
    for (const secret of all) assert.ok(!report.includes(secret.value.split('\n')[0] ?? ''), secret.kind);
    assert.ok(request.report().redactions.length >= 15);
  });

  it('context items: a refused path becomes a note with the reason, the others are redacted', async () => {
    assert.ok(a);
    const request = open();
    const items = await request.contextItems([
      { kind: 'file', path: '.env', text: 'TOKEN=whatever' },
      { kind: 'file', path: 'src/app.ts', text: `const t = '${a.value}';` },
    ]);
    assert.match(items[0]?.text ?? '', /^\[not sent by Tandem: .env is a secrets file/);
    assert.equal(items[1]?.text, `const t = '[REDACTED:github-token]';`);
    assert.deepEqual(request.report().refused.map((r) => r.item), ['.env']);
  });
});
