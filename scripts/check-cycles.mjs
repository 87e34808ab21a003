#!/usr/bin/env node
// Lists the import cycles among the TypeScript files of src and fails when one
// lies in the folders checked. Type-only imports count: a type that needs its
// user to exist is as much a knot for the reader (and the next refactoring)
// as a value import, even though the bundle erases it.
//
//   node scripts/check-cycles.mjs                    every cycle in src; fails on any
//   node scripts/check-cycles.mjs src/extension ...  lists every cycle; fails on those touching these folders
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];

/** Every import, re-export and dynamic import between the files under `dir`, by path relative to `root`. */
export function importGraph(root, dir = 'src') {
  const files = readdirSync(path.join(root, dir), { recursive: true })
    .map((file) => path.join(dir, String(file)))
    .filter((file) => EXTENSIONS.some((ext) => file.endsWith(ext)) && !file.endsWith('.d.ts'))
    .map(toPosix)
    .sort();
  const known = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(path.join(root, file), 'utf8'), true, true);
    const targets = new Set();
    for (const { fileName } of importedFiles) {
      const target = fileName.startsWith('.') ? resolve(known, path.posix.join(path.posix.dirname(file), fileName)) : undefined;
      if (target) targets.add(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

function resolve(known, base) {
  const stem = base.replace(/\.(m|c)?js$/, '');
  const candidates = [base, ...EXTENSIONS.map((ext) => stem + ext), ...EXTENSIONS.map((ext) => `${base}/index${ext}`)];
  return candidates.find((candidate) => known.has(candidate));
}

function toPosix(file) {
  return file.split(path.sep).join('/');
}

/**
 * The cycles of `graph`: one per group of files that reach each other (a
 * strongly connected component), given as the shortest loop from its first
 * file, plus every file of the group.
 */
export function findCycles(graph) {
  return stronglyConnected(graph)
    .filter((group) => group.length > 1 || graph.get(group[0])?.has(group[0]))
    .map((group) => {
      const members = [...group].sort();
      return { loop: shortestLoop(graph, members[0], new Set(members)), files: members };
    })
    .sort((a, b) => (a.files[0] < b.files[0] ? -1 : 1));
}

/** Tarjan's algorithm, iterative: src is deep enough that recursion is no worry, but a generated test graph may be. */
function stronglyConnected(graph) {
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const groups = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work = [{ node: start, edges: [...(graph.get(start) ?? [])], at: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.at < frame.edges.length) {
        const target = frame.edges[frame.at++];
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, edges: [...(graph.get(target) ?? [])], at: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node), index.get(target)));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node), low.get(frame.node)));
      if (low.get(frame.node) === index.get(frame.node)) {
        const group = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.node);
        groups.push(group);
      }
    }
  }
  return groups;
}

/** Breadth-first from `start` back to itself, staying inside its group: `[start, ..., start]`. */
function shortestLoop(graph, start, group) {
  const cameFrom = new Map();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    for (const target of graph.get(node) ?? []) {
      if (!group.has(target)) continue;
      if (target === start) {
        const loop = [start];
        for (let at = node; at !== start; at = cameFrom.get(at)) loop.unshift(at);
        loop.unshift(start);
        return loop;
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start];
}

function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const scopes = (process.argv.length > 2 ? process.argv.slice(2) : ['src']).map((scope) => toPosix(path.normalize(scope)).replace(/\/$/, ''));
  const graph = importGraph(root);
  const cycles = findCycles(graph);
  const inScope = (file) => scopes.some((scope) => file === scope || file.startsWith(`${scope}/`));
  let failing = 0;
  for (const cycle of cycles) {
    const fails = cycle.files.some(inScope);
    failing += fails ? 1 : 0;
    const extra = cycle.files.length > cycle.loop.length - 1 ? ` (a knot of ${cycle.files.length} files: ${cycle.files.join(', ')})` : '';
    console[fails ? 'error' : 'log'](`${fails ? 'cycle' : 'cycle (outside the checked folders)'}: ${cycle.loop.join(' → ')}${extra}`);
  }
  console.log(`[cycles] ${graph.size} files, ${cycles.length} cycle(s), ${failing} in ${scopes.join(', ')}`);
  if (failing > 0) process.exit(1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
