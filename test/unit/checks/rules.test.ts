/**
 * The insecure-code rules, per language: every positive fixture fires its
 * rule on the line it is on, every look-alike stays quiet, and each positive
 * still fires when written differently (indentation, spacing, the other
 * quote). docs/checks.md lists the rules; this file fails when one has no
 * fixtures in a language it claims.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkProposal } from '../../../src/server/services/checks';
import { CHECK_LANGUAGES, languageOf } from '../../../src/server/services/checks/languages';
import { INSECURE_RULES } from '../../../src/server/services/checks/rules';
import { SECRET_RULE } from '../../../src/server/services/checks/secrets';
import type { CheckFinding } from '../../../src/shared/checks';
import { FIXTURES } from './fixtures';

/** A hard-coded credential the secret detector also knows is reported once, as the secret. */
const sameRule = (rule: string) => (f: CheckFinding) => f.rule === rule || (rule === 'hardcoded-credential' && f.rule === 'secret-introduced');

const PRELUDE = ['// a file', 'function before() {}', ''];

async function findingsFor(ext: string, snippet: string): Promise<{ findings: CheckFinding[]; lines: number[] }> {
  const oldText = `${PRELUDE.join('\n')}\nconst after = 1;\n`;
  const newText = `${PRELUDE.join('\n')}\n${snippet}\nconst after = 1;\n`;
  const findings = await checkProposal({ format: 'codeBlock', changes: [{ kind: 'update', path: `src/sample.${ext}`, oldText, newText }] });
  const count = snippet.split('\n').length;
  return { findings, lines: Array.from({ length: count }, (_, i) => PRELUDE.length + 1 + i) };
}

const HASH_COMMENTS = new Set(['py', 'rb', 'sh']);
const QUOTES_ALIKE = new Set(['ts', 'tsx', 'js', 'py']);

/** Spacing and quoting a model might use instead: a rule must not depend on one style. */
function variants(snippet: string, ext: string): string[] {
  const out = new Set<string>([
    snippet
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n'),
    snippet.replace(/\(/g, '( ').replace(/\)/g, ' )'),
    snippet.replace(/ = /g, '   =   ').replace(/: /g, ':   '),
  ]);
  // The other quote where both mean the same string (not Go/Java/C# chars, not Ruby/PHP/shell's literal quotes),
  // and only when the snippet uses one kind, so the swap keeps it well-formed.
  if (QUOTES_ALIKE.has(ext) && !snippet.includes("'") && !snippet.includes('`')) out.add(snippet.replace(/"/g, "'"));
  return [...out];
}

describe('checks: insecure code rules', () => {
  for (const fixture of FIXTURES) {
    describe(`${fixture.rule} (.${fixture.ext})`, () => {
      for (const positive of fixture.positive) {
        it(`fires on: ${positive.split('\n')[0]}`, async () => {
          const { findings, lines } = await findingsFor(fixture.ext, positive);
          const hit = findings.find(sameRule(fixture.rule));
          assert.ok(hit, `no ${fixture.rule} finding; got ${JSON.stringify(findings.map((f) => f.rule))}`);
          assert.ok(lines.includes(hit.line), `finding on line ${hit.line}, snippet is on ${lines.join(',')}`);
          assert.equal(hit.path, `src/sample.${fixture.ext}`);
          assert.ok(hit.why.length > 0 && !hit.why.includes('\n'));
          assert.ok(hit.fix.length > 0 && !hit.fix.includes('\n'));
        });
      }
      for (const negative of fixture.negative) {
        it(`stays quiet on: ${negative.split('\n')[0]}`, async () => {
          const { findings } = await findingsFor(fixture.ext, negative);
          assert.deepEqual(
            findings.filter(sameRule(fixture.rule)),
            [],
          );
        });
      }
      it('stays quiet when its positives are commented out', async () => {
        const marker = HASH_COMMENTS.has(fixture.ext) ? '# ' : '// ';
        for (const positive of fixture.positive) {
          const commented = positive
            .split('\n')
            .map((line) => `${line.match(/^\s*/)?.[0] ?? ''}${marker}${line.trimStart()}`)
            .join('\n');
          const { findings } = await findingsFor(fixture.ext, commented);
          // The rule itself, not secret-introduced: a secret in a comment is still a secret.
          assert.deepEqual(
            findings.filter((f) => f.rule === fixture.rule),
            [],
            commented,
          );
        }
      });
      it('stays quiet on every spacing/quote variant of its look-alikes', async () => {
        for (const negative of fixture.negative) {
          for (const variant of variants(negative, fixture.ext)) {
            const { findings } = await findingsFor(fixture.ext, variant);
            assert.deepEqual(findings.filter(sameRule(fixture.rule)), [], variant);
          }
        }
      });
      it('fires on every spacing/quote variant of its positives', async () => {
        for (const positive of fixture.positive) {
          for (const variant of variants(positive, fixture.ext)) {
            const { findings } = await findingsFor(fixture.ext, variant);
            assert.ok(
              findings.some(sameRule(fixture.rule)),
              `variant did not fire:\n${variant}`,
            );
          }
        }
      });
    });
  }

  it('every rule has positives and negatives in every language it covers', () => {
    for (const rule of INSECURE_RULES) {
      const claimed = new Set(rule.patterns.flatMap((p) => (p.languages === 'all' ? [...CHECK_LANGUAGES] : p.languages)));
      for (const language of claimed) {
        const fixtures = FIXTURES.filter((f) => f.rule === rule.id && languageOf(`x.${f.ext}`) === language);
        assert.ok(fixtures.length > 0, `${rule.id} has no fixtures in ${language}`);
        for (const f of fixtures) assert.ok(f.positive.length > 0 && f.negative.length > 0, `${rule.id} .${f.ext}`);
      }
    }
    const languages = new Set(FIXTURES.map((f) => f.ext));
    for (const ext of ['ts', 'py', 'go', 'java', 'cs', 'rb', 'php', 'sh']) assert.ok(languages.has(ext), `no fixtures for .${ext}`);
  });

  it('docs/checks.md lists every rule with its severity', () => {
    const doc = readFileSync(path.resolve(__dirname, '../../../docs/checks.md'), 'utf8');
    for (const rule of [...INSECURE_RULES, SECRET_RULE]) {
      assert.match(doc, new RegExp(`^\\| \`${rule.id}\` \\| [^|]+ \\| ${rule.severity} \\|`, 'm'), rule.id);
    }
  });
});
