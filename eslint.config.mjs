// ESLint (flat config): the recommended rules of ESLint and typescript-eslint
// (syntax only, no type information: tsc already checks types, and this way
// the whole repository lints in seconds), plus import rules that keep the
// parts of Tandem apart:
//   - src/server and src/shared never import vscode, src/extension or media;
//   - the service's tiers of src/server/README.md: a feature folder never
//     imports another, a tier never imports one above it (backed by
//     test/unit/server/layers.test.ts, which resolves every import);
//   - the webview (media/) imports neither src/extension nor src/server, nor
//     src/shared/boundary (Node-only), nor Node built-ins;
//   - the extension never imports src/server: the two meet over src/shared.
// no-restricted-imports matches the specifier as written, so each rule is
// spelled for the depth of the importing file; a file gets all of its
// restrictions from one block (a later block would replace, not extend, them).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** The tiers of src/server/README.md, highest first. */
const TIERS = [
  { name: 'wiring', units: ['main.ts', 'cli.ts', 'server.ts', 'transport.ts', 'settingsStore.ts'] },
  { name: 'features', units: ['completions/', 'chat/', 'propose/', 'agent/', 'models/'] },
  { name: 'services', units: ['services/'] },
  { name: 'engines', units: ['edits/', 'providers/', 'prompt/'] },
  { name: 'foundation', units: ['util/', 'log.ts', 'settings.ts', 'status.ts', 'redact.ts', 'validate.ts', 'version.ts'] },
];
const UNITS = TIERS.flatMap((tier) => tier.units);
const FEATURES = TIERS[1].units;
/** Deepest folder nesting under src/server, src/shared and media that the depth-spelled rules cover. */
const MAX_DEPTH = 5;

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A module specifier naming `unit` (a folder, or a root file with or without its extension) from `up` levels below src/server. */
const unitPattern = (unit, up) => {
  const name = unit.endsWith('/') ? unit.slice(0, -1) : unit.replace(/\.ts$/, '');
  const prefix = up === 0 ? '\\./' : `(?:\\.\\./){${up}}`;
  return `^${prefix}${escape(name)}(?:\\.[cm]?[jt]s)?(?:/|$)`;
};
/** `up` times `../`: from a file `up` levels below a folder back to that folder. */
const ups = (up) => (up === 0 ? '\\./' : `(?:\\.\\./){${up}}`);

/** What `unit` may not import: tiers above it, other features; the edit engine only src/shared. */
function forbiddenFor(unit) {
  if (unit === 'edits/') return UNITS.filter((other) => other !== unit);
  const tier = TIERS.findIndex((t) => t.units.includes(unit));
  const above = TIERS.slice(0, tier).flatMap((t) => t.units);
  const siblings = FEATURES.includes(unit) ? FEATURES.filter((other) => other !== unit) : [];
  return [...above, ...siblings];
}

const VSCODE = { name: 'vscode', message: 'Only src/extension may import vscode: the service runs outside VS Code, src/shared is also used by the service and the webview.' };

/** Restrictions for every file of src/server `depth` folders down: vscode, the extension, the webview. */
const leaveServer = (depth) => [
  { regex: `^${ups(depth + 1)}extension(?:/|$)`, message: 'The service never imports the extension: they meet over the protocol in src/shared.' },
  { regex: `^${ups(depth + 2)}media(?:/|$)`, message: 'The service never imports the webview.' },
];

function serverBlocks() {
  const blocks = [];
  for (const unit of UNITS) {
    const forbidden = forbiddenFor(unit);
    const tierName = TIERS.find((t) => t.units.includes(unit)).name;
    const message = (other) =>
      unit === 'edits/'
        ? `The edit engine (src/server/edits) imports only src/shared: it also runs on its own as the apply-patch command.`
        : FEATURES.includes(unit) && FEATURES.includes(other)
          ? `Features stand side by side (src/server/README.md): ${unit} may not import ${other}; move what both need into services/ or below.`
          : `${unit} (${tierName}) may not import ${other}, a tier above it (src/server/README.md).`;
    const depths = unit.endsWith('/') ? Array.from({ length: MAX_DEPTH }, (_, i) => i + 1) : [0];
    for (const depth of depths) {
      const files = unit.endsWith('/') ? [`src/server/${unit}${'*/'.repeat(depth - 1)}*.ts`] : [`src/server/${unit}`];
      blocks.push(
        restrict(files, {
          paths: [VSCODE],
          patterns: [
            ...forbidden.map((other) => ({ regex: unitPattern(other, depth), message: message(other) })),
            ...leaveServer(depth),
          ],
        }),
      );
    }
  }
  // A folder or root file that is in no tier fails until the tiers (README, this file, layers.test.ts) name it.
  blocks.push({
    files: ['src/server/**/*.ts'],
    ignores: UNITS.map((unit) => (unit.endsWith('/') ? `src/server/${unit}**` : `src/server/${unit}`)),
    rules: {
      'no-restricted-syntax': ['error', { selector: 'Program', message: 'This module is in no tier of the service: add its folder to src/server/README.md, eslint.config.mjs and test/unit/server/layers.test.ts.' }],
      'no-restricted-imports': ['error', { paths: [VSCODE] }],
    },
  });
  return blocks;
}

/** src/shared: used by the extension, the service and (all but boundary/) the webview. */
function sharedBlocks() {
  const blocks = [];
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const leave = [
      { regex: `^${ups(depth + 1)}(?:extension|server)(?:/|$)`, message: 'src/shared is imported by both sides; it imports neither.' },
      { regex: `^${ups(depth + 2)}media(?:/|$)`, message: 'src/shared never imports the webview.' },
    ];
    blocks.push(
      restrict([`src/shared/${'*/'.repeat(depth)}*.ts`], {
        ignores: ['src/shared/boundary/**'],
        paths: [VSCODE],
        patterns: [
          ...leave,
          { regex: '^node:', message: 'src/shared outside boundary/ is bundled into the webview too: no Node built-ins (put Node-only code in src/shared/boundary).' },
          { regex: `^${ups(depth)}boundary(?:/|$)`, message: 'src/shared/boundary is Node-only; the rest of src/shared is also bundled into the webview.' },
        ],
      }),
    );
    if (depth > 0) blocks.push(restrict([`src/shared/boundary/${'*/'.repeat(depth - 1)}*.ts`], { paths: [VSCODE], patterns: leave }));
  }
  return blocks;
}

function webviewBlocks() {
  const blocks = [];
  for (let depth = 1; depth <= MAX_DEPTH; depth++) {
    const toRoot = ups(depth);
    blocks.push(
      restrict([`media/${'*/'.repeat(depth - 1)}*.ts`], {
        paths: [{ name: 'vscode', message: 'The webview runs in a browser frame: it talks to the extension with messages (src/shared/webviewProtocol.ts).' }],
        patterns: [
          { regex: `^${toRoot}src/(?:extension|server)(?:/|$)`, message: 'The webview imports only src/shared: it talks to the extension with messages (src/shared/webviewProtocol.ts).' },
          { regex: `^${toRoot}src/shared/boundary(?:/|$)`, message: 'src/shared/boundary is Node-only; the webview runs in a browser frame.' },
          { regex: '^node:', message: 'The webview runs in a browser frame: no Node built-ins.' },
        ],
      }),
    );
  }
  return blocks;
}

function extensionBlocks() {
  const blocks = [];
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    blocks.push(
      restrict([`src/extension/${'*/'.repeat(depth)}*.ts`], {
        paths: [],
        patterns: [
          { regex: `^${ups(depth + 1)}server(?:/|$)`, message: 'The extension talks to the service over the protocol (src/shared), never by importing it.' },
          { regex: `^${ups(depth + 2)}media(?:/|$)`, message: 'The extension never imports the webview: it loads the bundle and exchanges messages.' },
        ],
      }),
    );
  }
  return blocks;
}

function restrict(files, { ignores, paths, patterns }) {
  return {
    files,
    ...(ignores ? { ignores } : {}),
    rules: { 'no-restricted-imports': ['error', { paths, patterns: patterns.map((pattern) => ({ ...pattern, caseSensitive: true })) }] },
  };
}

/** The globals of the Node that runs ESLint: the scripts run on the same Node. */
const nodeGlobals = Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly']));

export default defineConfig(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'dist-vsix/**', 'test-results/**', '.vscode-test/**', '.tandem-run/**', 'test/fixtures/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Terminal output and paths are sanitised on purpose: control characters in patterns are the point.
      'no-control-regex': 'off',
      // Comments write `**​/` with a zero-width space so that a glob does not close the comment.
      'no-irregular-whitespace': ['error', { skipComments: true }],
      // As tsc's noUnusedParameters: a leading underscore marks a parameter kept for its position.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The LSP message types follow vscode-languageserver-protocol's idiom: `namespace X { export const type = ... }`.
    files: ['src/shared/protocol.ts', 'src/shared/*Protocol.ts'],
    rules: { '@typescript-eslint/no-namespace': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Expected code is written as it looks: runs of spaces are indentation, clearer than ` {4}`.
      'no-regex-spaces': 'off',
    },
  },
  serverBlocks(),
  sharedBlocks(),
  webviewBlocks(),
  extensionBlocks(),
);
