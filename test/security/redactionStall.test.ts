/**
 * The secret scan against texts built to make it slow (one marker repeated
 * over a megabyte, on one line or many): it finishes (generous safety
 * timeout; the stall itself is a figure of `npm run bench:redaction`), and a
 * real secret planted in the middle of the noise is still redacted.
 */
import assert from 'node:assert/strict';
import { DataBoundary } from '../../src/server/services/dataBoundary';
import { SecretFactory } from '../support/fakeSecrets';
import { HOSTILE_UNITS, hostileText } from '../support/hostileRedaction';

describe('security: the secret scan on hostile text', function () {
  this.timeout(60_000);
  const planted = new SecretFactory(31).all().filter((s) => ['github-token', 'private-key', 'connection-string-password', 'secret-value'].includes(s.kind));

  for (const [name, unit] of Object.entries(HOSTILE_UNITS)) {
    it(`${name}: finishes, and still finds the secrets planted in it`, async () => {
      const text = hostileText(unit, 512 * 1024, planted.map((s) => s.text).join('\n'));
      const opened = new DataBoundary().open('chat', 'http://127.0.0.1:1/v1', {});
      assert.ok(!('refused' in opened));
      const sent = await opened.text(text);
      for (const secret of planted) assert.ok(!sent.includes(secret.value.split('\n')[0] ?? ''), `${secret.kind} leaked through ${name}`);
    });
  }
});
