/**
 * The VSIX ships what the build makes for the webviews: .vscodeignore is an
 * allow-list, and a webview bundle left off it is a blank panel for every
 * user (the Metrics dashboard nearly shipped that way).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '../..');

describe('VSIX contents', () => {
  it('every webview bundle the build makes is on the .vscodeignore allow-list, script and stylesheet', () => {
    const build = readFileSync(path.join(root, 'scripts/build.mjs'), 'utf8');
    const entries = /entryPoints:\s*\{([^}]*)\},\s*outdir:\s*'dist\/webview'/.exec(build)?.[1];
    assert.ok(entries, 'the webview build was not found in scripts/build.mjs');
    const names = [...entries.matchAll(/(\w+):\s*'media\//g)].map((match) => match[1]);
    assert.ok(names.includes('chat') && names.includes('metrics'), names.join(', '));
    const allowed = new Set(readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').map((line) => line.trim()));
    for (const name of names) {
      for (const file of [`${name}.js`, `${name}.css`]) assert.ok(allowed.has(`!dist/webview/${file}`), `.vscodeignore leaves out dist/webview/${file}`);
    }
  });

  it('every Node bundle the build makes is on the allow-list (the metrics worker thread is a file of its own)', () => {
    const build = readFileSync(path.join(root, 'scripts/build.mjs'), 'utf8');
    const outfiles = [...build.matchAll(/outfile:\s*'([^']+)'/g)].map((match) => match[1]);
    assert.ok(outfiles.includes('dist/server.js') && outfiles.includes('dist/metricsWorker.js'), outfiles.join(', '));
    const allowed = new Set(readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').map((line) => line.trim()));
    for (const file of outfiles) assert.ok(allowed.has(`!${file}`), `.vscodeignore leaves out ${file}`);
  });

  it('the package.json the build writes beside the bundles is on the allow-list (it says how Node reads them)', () => {
    const build = readFileSync(path.join(root, 'scripts/build.mjs'), 'utf8');
    const file = /const DIST_PACKAGE_JSON = '([^']+)'/.exec(build)?.[1];
    assert.equal(file, 'dist/package.json');
    const allowed = new Set(readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').map((line) => line.trim()));
    assert.ok(allowed.has(`!${file}`), `.vscodeignore leaves out ${file}`);
  });
});
