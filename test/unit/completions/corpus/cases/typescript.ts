import type { CorpusCase } from '../format';

/** TypeScript and JavaScript. */
export const TYPESCRIPT_CASES: readonly CorpusCase[] = [
  {
    id: 'ts-closers-01',
    class: 'closers',
    language: 'typescript',
    doc: 'function total(items: Item[]): number {\n  return items.reduce(█)\n}\n',
    reply: '(sum, item) => sum + item.price, 0',
    after: 'function total(items: Item[]): number {\n  return items.reduce((sum, item) => sum + item.price, 0█)\n}\n',
  },
  {
    id: 'ts-stops-01',
    class: 'stops',
    language: 'typescript',
    doc: 'function sign(n: number): string {\n  if (n > 0) {█\n}\n',
    reply: '\n    return "positive";\n  } else if (n < 0) {\n    return "negative";\n  } else {\n    return "zero";\n  }',
    after: 'function sign(n: number): string {\n  if (n > 0) {\n    return "positive";\n  } else if (n < 0) {\n    return "negative";\n  } else {\n    return "zero";\n  }█\n}\n',
  },
  {
    id: 'ts-repetition-01',
    class: 'repetition',
    language: 'typescript',
    doc: 'const routes = [\n  "/home",\n  █\n];\n',
    reply: '"/about",\n  "/about",\n  "/about",\n  "/about",\n  "/about",\n  "/about",',
    after: 'const routes = [\n  "/home",\n  "/about",█\n];\n',
  },
  {
    id: 'ts-junk-01',
    class: 'junk',
    language: 'typescript',
    doc: 'export function isEven(n: number): boolean {\n  █\n}\n',
    reply: '```typescript\nreturn n % 2 === 0;\n```',
    templates: ['fim'],
    after: 'export function isEven(n: number): boolean {\n  return n % 2 === 0;█\n}\n',
  },
  {
    id: 'ts-selection-01',
    class: 'selection',
    language: 'typescript',
    doc: 'const names = users.ma█\n',
    reply: '((user) => user.name);',
    selected: { replace: 'ma', text: 'map' },
    after: 'const names = users.map((user) => user.name);█\n',
  },
];
