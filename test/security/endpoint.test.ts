/**
 * `tandem.dataBoundary.localOnly`: hostile endpoint URLs that try to pass for
 * this machine (look-alike names, userinfo, fragments, encodings, IPv6
 * forms, DNS tricks) are refused; every spelling of loopback is allowed.
 */
import assert from 'node:assert/strict';
import { DataBoundary } from '../../src/server/services/dataBoundary';
import { decideEndpoint, isLoopbackHost } from '../../src/shared/boundary/endpoint';

const HOSTILE = [
  'https://api.openai.com/v1',
  'http://localhost.evil.com/v1',
  'http://localhost.evil.com:11434/v1',
  'http://127.0.0.1.nip.io/v1',
  'http://127.0.0.1.evil.com/v1',
  'http://127-0-0-1.sslip.io/v1',
  'http://127.0.0.1@evil.com/v1',
  'http://localhost@evil.com/v1',
  'http://127.0.0.1:11434@evil.com/v1',
  'http://user:pass@evil.com/v1?host=127.0.0.1',
  'http://evil.com#@127.0.0.1/v1',
  'http://evil.com/127.0.0.1/v1',
  'http://evil.com?127.0.0.1',
  'http://127.0.0.1%2eevil.com/v1',
  'http://xn--localhost-.com/v1',
  'http://localhost-evil.com/v1',
  'http://mylocalhost/v1',
  'http://foo.localhost/v1',
  'http://localhost.localdomain.evil.com/v1',
  'http://0.0.0.0:11434/v1',
  'http://0/v1',
  'http://[::]/v1',
  'http://[::ffff:8.8.8.8]/v1',
  'http://[::ffff:0a00:0001]/v1',
  'http://[fe80::1]/v1',
  'http://[::2]/v1',
  'http://128.0.0.1/v1',
  'http://126.255.255.255/v1',
  'http://10.0.0.1/v1',
  'http://192.168.1.10:11434/v1',
  'http://169.254.169.254/latest',
  'http://2147483649/v1',
  'http://0x80000001/v1',
  'file:///etc/passwd',
  'ftp://127.0.0.1/v1',
  'ws://127.0.0.1/v1',
  'javascript:alert(1)',
  'not a url',
  '',
  'http://',
  '//127.0.0.1/v1',
  '127.0.0.1:11434/v1',
];

const LOCAL = [
  'http://127.0.0.1:11434/v1',
  'http://127.0.0.1/v1',
  'https://127.0.0.1:8443/v1',
  'http://127.1.2.3/v1',
  'http://127.255.255.254/v1',
  'http://127.1/v1',
  'http://0x7f.1/v1',
  'http://0177.0.0.1/v1',
  'http://2130706433/v1',
  'http://localhost:1234/v1',
  'http://LOCALHOST:1234/v1',
  'http://localhost.:1234/v1',
  'http://[::1]:8080/v1',
  'http://[0:0:0:0:0:0:0:1]/v1',
  'http://[::ffff:127.0.0.1]/v1',
  'http://user:key@127.0.0.1:1/v1',
];

describe('localOnly: which endpoints are this machine', () => {
  for (const url of HOSTILE) {
    it(`refuses ${JSON.stringify(url)}`, () => {
      const decision = decideEndpoint(url);
      assert.equal(decision.local, false);
    });
  }
  for (const url of LOCAL) {
    it(`allows ${url}`, () => assert.deepEqual(decideEndpoint(url), { local: true }));
  }

  it('decides on the parsed host only: no name but localhost counts, whatever it resolves to', () => {
    for (const host of ['localhost', '127.0.0.1', '[::1]']) assert.ok(isLoopbackHost(host), host);
    for (const host of ['localhost.evil.com', 'localhost..', '127.0.0.1.nip.io', 'evil.com', '[::1]x', '::1', '127.0.0.1x']) assert.ok(!isLoopbackHost(host), host);
  });

  it('the boundary refuses every purpose with a clear message naming the setting and the endpoint, without its credentials', () => {
    const boundary = new DataBoundary();
    for (const purpose of ['chat', 'edit', 'completion', 'agent'] as const) {
      const opened = boundary.open(purpose, 'http://user:s3cretpw@localhost.evil.com/v1', { dataBoundary: { localOnly: true } });
      assert.ok('refused' in opened, purpose);
      assert.equal(opened.refused.kind, 'notLocal');
      assert.equal(opened.refused.action, 'openSettings');
      assert.match(opened.refused.message, /tandem\.dataBoundary\.localOnly/);
      assert.match(opened.refused.message, /localhost\.evil\.com/);
      assert.ok(!opened.refused.message.includes('s3cretpw'));
    }
    assert.ok(!('refused' in boundary.open('chat', 'https://api.openai.com/v1', { dataBoundary: { localOnly: false } })), 'off: any endpoint');
    assert.ok(!('refused' in boundary.open('chat', 'http://127.0.0.1:1/v1', { dataBoundary: { localOnly: true } })), 'on: loopback');
  });
});
