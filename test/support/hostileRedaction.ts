/**
 * Texts built to make a secret scanner slow: one marker repeated over a
 * megabyte, on one line or many (private-key headers without an END,
 * `_authToken=`, `://` with credentials, JWT prefixes, secret-like names,
 * ADO.NET passwords, Azure markers, Slack prefixes). Used by
 * test/security/redactionStall.test.ts and `npm run bench:redaction`.
 */
export const HOSTILE_UNITS: Readonly<Record<string, string>> = {
  'private-key headers, no END (lines)': '-----BEGIN RSA PRIVATE KEY-----\n',
  'private-key headers, no END (one line)': '-----BEGIN RSA PRIVATE KEY-----',
  'npm _authToken= (one line)': '_authToken=x',
  'URLs with credentials (one line)': 'http://user:pass@a.b.c.d.e.f.g.',
  'scheme separators (one line)': 'a://b:c@',
  'JWT prefixes (one run)': 'eyJ',
  'secret assignments (lines)': 'password=Abcdefgh12\n',
  'ADO.NET passwords (one line)': ';pwd=abcd;server=x',
  'Azure client-secret markers (one line)': 'abc1Q~',
  'Azure SAS signatures (one line)': `&sig=${'A'.repeat(40)}&sv=2020-01-01`,
  'Slack prefixes (one line)': 'xoxb-a-',
  'AWS key id prefixes (one line)': 'AKIAAAAAAAAAAAAAAAAAB ',
  'MongoDB URLs (one line)': 'mongodb://u:p@h ',
  'secret-like names (one line)': 'secret_token_key_password',
  'quoted key assignments (one line)': 'key="abcdefgh1" ',
  'GitHub prefixes (one line)': 'ghp_',
};

/** `unit` repeated to `bytes` characters, with `planted` in the middle (a real secret the scan must still find). */
export function hostileText(unit: string, bytes: number, planted = ''): string {
  const half = unit.repeat(Math.ceil(bytes / 2 / unit.length)).slice(0, bytes / 2);
  return `${half}\n${planted}\n${half}`;
}
