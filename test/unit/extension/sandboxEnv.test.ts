import assert from 'node:assert/strict';
import { NON_INTERACTIVE, commandEnvironment, isSecretVariable } from '../../../src/extension/agent/sandbox/env';

/** Names of credentials as tools spell them, in the cases people write them. */
const SECRET_NAMES = [
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'TANDEM_API_KEY',
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'NPM_TOKEN',
  'NODE_AUTH_TOKEN',
  'CODECOV_TOKEN',
  'HF_TOKEN',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_ID',
  'STRIPE_KEY',
  'SENDGRID_APIKEY',
  'DB_PASSWORD',
  'PGPASSWORD',
  'MYSQL_PWD',
  'SSHPASS',
  'REDIS_PASS',
  'GPG_PASSPHRASE',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'SENTRY_DSN',
  'AZURE_DEVOPS_EXT_PAT',
  'JWT_PRIVATE_KEY',
  'SIGNING_KEYS',
  'SESSION_COOKIE',
  'SSH_AUTH_SOCK',
  'DBUS_SESSION_BUS_ADDRESS',
  'XAUTHORITY',
  'MY_SECRET',
  'client_secret',
  'api_key',
];

/** Values that are credentials whatever the variable is called. */
const SECRET_VALUES = [
  'postgres://admin:hunter2@db.internal:5432/app',
  'https://user:ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/org/repo.git',
  'sk-proj-abcdefghijklmnopqrstuvwx',
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'github_pat_11ABCDEFG0123456789_abcdefghijklmnop',
  'glpat-abcdefghijklmnopqrst',
  'xoxb-123456789012-abcdefghijkl',
  'npm_abcdefghijklmnopqrstuvwxyz0123456789',
  'AKIAIOSFODNN7EXAMPLE',
  'AIzaSyA-abcdefghijklmnopqrstuvwxyz012345',
  '-----BEGIN OPENSSH PRIVATE KEY-----\nabc',
];

/** What commands need and must keep. */
const ORDINARY: Record<string, string> = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/home/person',
  USER: 'person',
  LANG: 'en_US.UTF-8',
  TERM: 'xterm-256color',
  PWD: '/home/person/project',
  OLDPWD: '/home/person',
  SHELL: '/bin/bash',
  NODE_OPTIONS: '--max-old-space-size=4096',
  NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/corp.pem',
  JAVA_HOME: '/usr/lib/jvm/java-17',
  GOPATH: '/home/person/go',
  KEYBOARD_LAYOUT: 'us',
  OPENAI_BASE_URL: 'http://localhost:11434/v1',
  HTTPS_PROXY: 'http://proxy.corp:3128',
  MONKEY: 'banana',
};

describe('agent command environment (sandbox/env.ts)', () => {
  it('drops every variable named like a credential, in any case', () => {
    for (const name of SECRET_NAMES) {
      for (const spelled of [name, name.toLowerCase(), name.toUpperCase()]) {
        const env = commandEnvironment({ [spelled]: 'value-1234', PATH: '/bin' });
        assert.equal(env[spelled], undefined, spelled);
        assert.equal(env.PATH, '/bin');
      }
    }
  });

  it('drops variables whose value is a credential whatever they are called', () => {
    for (const [index, value] of SECRET_VALUES.entries()) {
      const name = `HARMLESS_NAME_${index}`;
      assert.equal(isSecretVariable(name, value), true, value);
      assert.equal(commandEnvironment({ [name]: value })[name], undefined, value);
      // Embedded in a longer value too.
      assert.equal(isSecretVariable(name, `--option=${value}`), true, `--option=${value}`);
    }
  });

  it('keeps ordinary variables as they are', () => {
    const env = commandEnvironment(ORDINARY);
    for (const [name, value] of Object.entries(ORDINARY)) assert.equal(env[name], value, name);
  });

  it('drops the editor’s IPC handles and what makes bash run more than the text', () => {
    const env = commandEnvironment({
      VSCODE_IPC_HOOK_CLI: '/run/user/1000/vscode-ipc.sock',
      VSCODE_GIT_IPC_HANDLE: '/run/user/1000/vscode-git.sock',
      VSCODE_GIT_ASKPASS_MAIN: '/opt/code/askpass-main.js',
      GIT_ASKPASS: '/opt/code/askpass.sh',
      SSH_ASKPASS: '/usr/bin/ssh-askpass',
      ELECTRON_RUN_AS_NODE: '1',
      BASH_ENV: '/tmp/evil.sh',
      ENV: '/tmp/evil.sh',
      SHELLOPTS: 'xtrace',
      'BASH_FUNC_ls%%': '() { rm -rf ~; }',
      PATH: '/bin',
    });
    assert.deepEqual(Object.keys(env).filter((name) => !(name in NON_INTERACTIVE)), ['PATH']);
  });

  it('turns pagers and prompts off, over what the editor had', () => {
    const env = commandEnvironment({ PAGER: 'less', GIT_PAGER: 'delta', GIT_TERMINAL_PROMPT: '1', EDITOR: 'vim' });
    assert.equal(env.PAGER, 'cat');
    assert.equal(env.GIT_PAGER, 'cat');
    assert.equal(env.GIT_TERMINAL_PROMPT, '0');
    assert.equal(env.EDITOR, 'true');
    assert.equal(env.DEBIAN_FRONTEND, 'noninteractive');
    assert.equal(commandEnvironment({}, { TMPDIR: '/tmp' }).TMPDIR, '/tmp');
  });
});
