import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findCycles, importGraph, type ImportGraph } from '../../../scripts/check-cycles.mjs';
import { seededRandom } from '../../support/random';

const root = path.resolve(__dirname, '../../..');

/** Which nodes reach which, by brute force (the oracle for Tarjan's groups). */
function reachability(graph: ImportGraph): Map<string, Set<string>> {
  const reach = new Map<string, Set<string>>();
  for (const start of graph.keys()) {
    const seen = new Set<string>();
    const stack = [...(graph.get(start) ?? [])];
    while (stack.length > 0) {
      const node = stack.pop() as string;
      if (seen.has(node)) continue;
      seen.add(node);
      stack.push(...(graph.get(node) ?? []));
    }
    reach.set(start, seen);
  }
  return reach;
}

function randomGraph(random: () => number, size: number, density: number): ImportGraph {
  const nodes = Array.from({ length: size }, (_, i) => `n${String(i).padStart(2, '0')}.ts`);
  return new Map(nodes.map((node) => [node, new Set(nodes.filter(() => random() < density))]));
}

describe('import cycles', () => {
  it('nothing in src imports in a circle (type-only imports count)', () => {
    const inSrc = findCycles(importGraph(root)).filter((cycle) => cycle.files.some((file) => file.startsWith('src/')));
    assert.deepEqual(
      inSrc.map((cycle) => cycle.loop.join(' → ')),
      [],
    );
  });

  it('on generated graphs, reports exactly the groups of files that reach each other, each with a real loop', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = seededRandom(seed);
      const graph = randomGraph(random, 2 + Math.floor(random() * 14), random() * 0.25);
      const reach = reachability(graph);
      const cycles = findCycles(graph);
      const grouped = new Map(cycles.flatMap((cycle) => cycle.files.map((file) => [file, cycle] as const)));
      for (const a of graph.keys()) {
        assert.equal(grouped.has(a), reach.get(a)?.has(a), `seed ${seed}: ${a} is on a cycle exactly when it reaches itself`);
        for (const b of graph.keys()) {
          const mutual = a !== b && reach.get(a)?.has(b) === true && reach.get(b)?.has(a) === true;
          if (mutual) assert.equal(grouped.get(a), grouped.get(b), `seed ${seed}: ${a} and ${b} reach each other, so share a group`);
        }
      }
      for (const { loop, files } of cycles) {
        assert.equal(loop[0], files[0], `seed ${seed}: the loop starts at the group's first file`);
        assert.equal(loop[loop.length - 1], loop[0], `seed ${seed}: the loop closes`);
        for (const [i, file] of loop.entries()) {
          const next = loop[i + 1];
          if (next === undefined) continue;
          assert.ok(graph.get(file)?.has(next), `seed ${seed}: ${file} imports ${next}`);
          assert.ok(files.includes(file), `seed ${seed}: the loop stays in its group`);
        }
      }
    }
  });

  it('finds no cycle in a generated acyclic graph, and one as soon as any back edge is added', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const random = seededRandom(seed);
      const size = 3 + Math.floor(random() * 20);
      const nodes = Array.from({ length: size }, (_, i) => `m${i}.ts`);
      // Edges only from earlier to later files: a layered codebase, no knots.
      const graph: ImportGraph = new Map(nodes.map((node, i) => [node, new Set(nodes.slice(i + 1).filter(() => random() < 0.3))]));
      assert.deepEqual(findCycles(graph), [], `seed ${seed}`);
      const from = 1 + Math.floor(random() * (size - 1));
      const to = Math.floor(random() * from);
      const later = nodes[from];
      const earlier = nodes[to];
      assert.ok(later !== undefined && earlier !== undefined);
      graph.get(earlier)?.add(later);
      graph.get(later)?.add(earlier);
      const cycles = findCycles(graph);
      assert.equal(cycles.length, 1, `seed ${seed}: ${later} → ${earlier} closes one cycle`);
      const [cycle] = cycles;
      assert.ok(cycle?.files.includes(later) && cycle.files.includes(earlier), `seed ${seed}`);
    }
  });

  it('a deep chain that closes on itself is one group (no recursion limit)', () => {
    const size = 50_000;
    const graph: ImportGraph = new Map(Array.from({ length: size }, (_, i) => [`f${i}.ts`, new Set([`f${(i + 1) % size}.ts`])]));
    const cycles = findCycles(graph);
    assert.equal(cycles.length, 1);
    assert.equal(cycles[0]?.files.length, size);
  });

  describe('reading imports from files', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-cycles-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    function write(files: Record<string, string>): void {
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }
    }

    it('follows every form of import between files, and no package import', () => {
      const forms = [
        (to: string) => `import { x } from '${to}';`,
        (to: string) => `import type { X } from '${to}';`,
        (to: string) => `import * as all from '${to}';`,
        (to: string) => `import '${to}';`,
        (to: string) => `export { x } from '${to}';`,
        (to: string) => `export type { X } from '${to}';`,
        (to: string) => `export * from '${to}';`,
        (to: string) => `async function later() {\n  return import('${to}');\n}`,
        (to: string) => `import {\n  x,\n  type Y,\n} from '${to}';`,
      ];
      for (const [index, form] of forms.entries()) {
        write({
          [`src/f${index}/a.ts`]: `import * as vscode from 'vscode';\n${form('./b')}\n`,
          [`src/f${index}/b.ts`]: `${form('../f' + index + '/deep')}\n`,
          [`src/f${index}/deep/index.ts`]: `${form('../a.js')}\n`,
        });
      }
      const cycles = findCycles(importGraph(dir));
      assert.deepEqual(
        cycles.map((cycle) => cycle.loop),
        forms.map((_, index) => [`src/f${index}/a.ts`, `src/f${index}/b.ts`, `src/f${index}/deep/index.ts`, `src/f${index}/a.ts`]),
      );
      assert.ok(!importGraph(dir).get('src/f0/a.ts')?.has('vscode'));
    });

    it('ignores imports in comments and strings, and files outside the folder', () => {
      write({
        'src/a.ts': "// import { b } from './b';\nconst text = \"import { b } from './b'\";\n/* export * from './b'; */\nexport const a = text;\n",
        'src/b.ts': "import { a } from './a';\nexport const b = a;\n",
        'other/c.ts': "import { a } from '../src/a';\n",
      });
      assert.deepEqual(findCycles(importGraph(dir)), []);
      assert.deepEqual([...importGraph(dir).keys()], ['src/a.ts', 'src/b.ts']);
    });
  });
});
