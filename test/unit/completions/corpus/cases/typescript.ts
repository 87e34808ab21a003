import type { CorpusCase } from '../format';
import { fence } from './text';

/** TypeScript and JavaScript. */
export const TYPESCRIPT_CASES: readonly CorpusCase[] = [
  // 1. closers right of the cursor
  {
    id: 'ts-closers-01',
    class: 'closers',
    language: 'typescript',
    doc: `function total(items: Item[]): number {
  return items.reduce(█)
}
`,
    reply: '(sum, item) => sum + item.price, 0',
    after: `function total(items: Item[]): number {
  return items.reduce((sum, item) => sum + item.price, 0█)
}
`,
  },
  {
    id: 'ts-closers-02',
    class: 'closers',
    language: 'typescript',
    doc: `const clamped = Math.max(█)
`,
    reply: 'value, min);',
    after: `const clamped = Math.max(value, min);█
`,
    note: 'The model closed the call and ended the statement: its ")" takes the place of the auto-inserted one and the ";" is kept.',
  },
  {
    id: 'ts-closers-03',
    class: 'closers',
    language: 'typescript',
    doc: `const add = (█)
`,
    reply: 'a: number, b: number) => a + b;',
    after: `const add = (a: number, b: number) => a + b;█
`,
    note: 'The whole arrow function, not only its parameter list.',
  },
  {
    id: 'ts-closers-04',
    class: 'closers',
    language: 'typescript',
    doc: `let total = 0;
function add(price: number) {
  total += price;
}
items.forEach((item) => {█})
`,
    reply: `
  total += item.price;
});`,
    after: `let total = 0;
function add(price: number) {
  total += price;
}
items.forEach((item) => {
  total += item.price;
});█
`,
    note: 'The auto-inserted "})" must not end up glued to the last inserted line.',
  },
  {
    id: 'ts-closers-05',
    class: 'closers',
    language: 'typescript',
    doc: `console.log("Listening on █")
`,
    reply: 'port " + port);',
    after: `console.log("Listening on port " + port);█
`,
  },
  {
    id: 'ts-closers-06',
    class: 'closers',
    language: 'javascript',
    doc: `const url = \`\${base}/users/█\`
`,
    reply: '${id}`;',
    after: `const url = \`\${base}/users/\${id}\`;█
`,
    note: 'The closing backtick typed by the model replaces the auto-inserted one; no "`;`" after it.',
  },
  {
    id: 'ts-closers-07',
    class: 'closers',
    language: 'typescript',
    doc: `const ids = [█]
`,
    reply: '1, 2, 3',
    after: `const ids = [1, 2, 3█]
`,
  },
  {
    id: 'ts-closers-08',
    class: 'closers',
    language: 'typescript',
    doc: `if (█)
`,
    reply: 'user.isAdmin) {',
    after: `if (user.isAdmin) {█
`,
  },
  // 2. where a multi-line suggestion stops
  {
    id: 'ts-stops-01',
    class: 'stops',
    language: 'typescript',
    doc: `function sign(n: number): string {
  if (n > 0) {█
}
`,
    reply: `
    return "positive";
  } else if (n < 0) {
    return "negative";
  } else {
    return "zero";
  }`,
    after: `function sign(n: number): string {
  if (n > 0) {
    return "positive";
  } else if (n < 0) {
    return "negative";
  } else {
    return "zero";
  }█
}
`,
  },
  {
    id: 'ts-stops-02',
    class: 'stops',
    language: 'typescript',
    doc: `async function load(url: string) {
  try {
    █
  }
}
`,
    reply: `const response = await fetch(url);
    return await response.json();
  } catch (error) {
    console.error(error);
    return null;`,
    after: `async function load(url: string) {
  try {
    const response = await fetch(url);
    return await response.json();
  } catch (error) {
    console.error(error);
    return null;█
  }
}
`,
    note: 'The model fills the middle so that the existing "}" closes its catch: stopping at "} catch (error) {" would leave an empty catch.',
  },
  {
    id: 'ts-stops-03',
    class: 'stops',
    language: 'typescript',
    doc: `import { readFileSync } from "node:fs";

const DEFAULTS = {
  strict: true,
};

export function loadConfig(path: string): Config {█`,
    reply: `
  const text = readFileSync(path, "utf8");

  return JSON.parse(text) as Config;
}`,
    after: `import { readFileSync } from "node:fs";

const DEFAULTS = {
  strict: true,
};

export function loadConfig(path: string): Config {
  const text = readFileSync(path, "utf8");

  return JSON.parse(text) as Config;
}█`,
    note: 'A blank line inside the body is not the end of the function.',
  },
  {
    id: 'ts-stops-04',
    class: 'stops',
    language: 'typescript',
    doc: `function label(score: number): string {
  if (score > 90) {
    █
  }
  return "ok";
}
`,
    reply: `return "great";
  } else if (score > 50) {
    return`,
    finishReason: 'length',
    after: `function label(score: number): string {
  if (score > 90) {
    return "great";█
  }
  return "ok";
}
`,
    note: 'Cut by the token limit: ending on "} else if (…) {" would leave a block half-open; show less.',
  },
  {
    id: 'ts-stops-05',
    class: 'stops',
    language: 'javascript',
    doc: `const TAU = 2 * Math.PI;
function circumference(r) {
  return TAU * r;
}
function area(r) {█
`,
    reply: `
  return Math.PI * r * r;
}

function perimeter(r) {
  return 2 * Math.PI * r;
}`,
    after: `const TAU = 2 * Math.PI;
function circumference(r) {
  return TAU * r;
}
function area(r) {
  return Math.PI * r * r;
}█
`,
    note: 'The suggestion ends where the block it opened ends, not with a second function.',
  },
  // 3. overlap with the code after the cursor
  {
    id: 'ts-overlap-01',
    class: 'overlap',
    language: 'typescript',
    doc: `function area(w: number, h: number) {
  █
  return w * h;
}
`,
    reply: `if (w < 0 || h < 0) throw new RangeError("negative size");
  return w * h;`,
    after: `function area(w: number, h: number) {
  if (w < 0 || h < 0) throw new RangeError("negative size");█
  return w * h;
}
`,
  },
  {
    id: 'ts-overlap-02',
    class: 'overlap',
    language: 'typescript',
    doc: `const width = 10;
█
const area = width * height;
`,
    reply: `const height = 20;
const area = width * height`,
    after: `const width = 10;
const height = 20;█
const area = width * height;
`,
    note: 'The last line is the next line without its ";": a near-duplicate.',
  },
  {
    id: 'ts-overlap-03',
    class: 'overlap',
    language: 'typescript',
    doc: `const point = {
  x: 1,
  █
  z: 3,
};
`,
    reply: `y: 2,
  z:3,`,
    after: `const point = {
  x: 1,
  y: 2,█
  z: 3,
};
`,
    note: 'Differs from the next line only in whitespace.',
  },
  {
    id: 'ts-overlap-04',
    class: 'overlap',
    language: 'typescript',
    doc: `class Cache {
  get(key: string) {
    if (!this.map.has(key)) {█
  }
}
`,
    reply: `
      return undefined;
    }`,
    after: `class Cache {
  get(key: string) {
    if (!this.map.has(key)) {
      return undefined;
    }█
  }
}
`,
    note: 'The "}" below closes get(), not the if: the suggestion keeps its own closer.',
  },
  {
    id: 'ts-overlap-05',
    class: 'overlap',
    language: 'typescript',
    doc: `function greet(name: string) {
  █
  console.log(message);
}
`,
    reply: 'console.log(message);',
    after: null,
    note: 'The whole suggestion is the next line.',
  },
  {
    id: 'ts-overlap-06',
    class: 'overlap',
    language: 'typescript',
    doc: `const settings = {
  theme: "dark",
  █
};
`,
    reply: `fontSize: 14,
};`,
    after: `const settings = {
  theme: "dark",
  fontSize: 14,█
};
`,
  },
  // 4. repetition
  {
    id: 'ts-repetition-01',
    class: 'repetition',
    language: 'typescript',
    doc: `const routes = [
  "/home",
  █
];
`,
    reply: `"/about",
  "/about",
  "/about",
  "/about",
  "/about",
  "/about",`,
    after: `const routes = [
  "/home",
  "/about",█
];
`,
  },
  {
    id: 'ts-repetition-02',
    class: 'repetition',
    language: 'typescript',
    doc: `function reset(state: State) {
  █
}
`,
    reply: `state.count = 0;
  state.items = [];
  state.count = 0;
  state.items = [];
  state.count = 0;
  state.items = [];
  state.count = 0;`,
    finishReason: 'length',
    after: `function reset(state: State) {
  state.count = 0;
  state.items = [];█
}
`,
  },
  {
    id: 'ts-repetition-03',
    class: 'repetition',
    language: 'typescript',
    doc: `function describe(kind: Kind): string {
  switch (kind) {
    █
  }
}
`,
    reply: `case "circle":
      return "round";
    case "square":
      return "four sides";
    default:
      return "unknown";`,
    after: `function describe(kind: Kind): string {
  switch (kind) {
    case "circle":
      return "round";
    case "square":
      return "four sides";
    default:
      return "unknown";█
  }
}
`,
    note: 'Similar lines with different content are no repetition.',
  },
  {
    id: 'ts-repetition-04',
    class: 'repetition',
    language: 'javascript',
    doc: `count += 1;
█
`,
    reply: `count += 1;
count += 1;
count += 1;
count += 1;
count += 1;`,
    after: null,
    note: 'Nothing but the line above, over and over: nothing is left once the repetition is cut.',
  },
  // 5. junk from the model
  {
    id: 'ts-junk-01',
    class: 'junk',
    language: 'typescript',
    doc: `export function isEven(n: number): boolean {
  █
}
`,
    reply: fence('typescript', 'return n % 2 === 0;'),
    templates: ['fim'],
    after: `export function isEven(n: number): boolean {
  return n % 2 === 0;█
}
`,
  },
  {
    id: 'ts-junk-02',
    class: 'junk',
    language: 'typescript',
    doc: `█
export const VERSION = "1.0.0";
`,
    reply: `// Path: src/version.ts
export const NAME = "tandem";`,
    after: `export const NAME = "tandem";█
export const VERSION = "1.0.0";
`,
    note: "Tandem's own prompt adds the path comment; the model echoed it.",
  },
  {
    id: 'ts-junk-03',
    class: 'junk',
    language: 'typescript',
    doc: `function double(x: number) {
  return █
}
`,
    reply: 'x * 2;<|fim_middle|>',
    chatReply: '<COMPLETION>x * 2;</COMPLETION>',
    after: `function double(x: number) {
  return x * 2;█
}
`,
  },
  {
    id: 'ts-junk-04',
    class: 'junk',
    language: 'typescript',
    doc: `function main() {
  █
}
`,
    reply: '//',
    after: null,
    note: 'A lone comment marker says nothing.',
  },
  {
    id: 'ts-junk-05',
    class: 'junk',
    language: 'typescript',
    doc: `const sum = a █
`,
    reply: '+ b;',
    after: `const sum = a + b;█
`,
    note: 'A leading "+" that continues the expression is code, not a diff marker.',
  },
  {
    id: 'ts-junk-06',
    class: 'junk',
    language: 'javascript',
    doc: `function last(list) {
  █
}
`,
    reply: '\u200breturn list[list.length - 1];',
    after: `function last(list) {
  return list[list.length - 1];█
}
`,
  },
  {
    id: 'ts-junk-07',
    class: 'junk',
    language: 'typescript',
    doc: `const count = items█
`,
    reply: '.length;',
    after: `const count = items.length;█
`,
    note: 'A leading "." after an identifier is member access, not a stray character.',
  },
  // 6. whitespace at the cursor
  {
    id: 'ts-whitespace-01',
    class: 'whitespace',
    language: 'typescript',
    doc: `const timeout = █
`,
    reply: ' 5000;',
    after: `const timeout = 5000;█
`,
  },
  {
    id: 'ts-whitespace-02',
    class: 'whitespace',
    language: 'typescript',
    doc: `function isEmpty(s: string) {
  if (s.length === 0) {
    █
  }
}
`,
    reply: `
    return true;`,
    after: `function isEmpty(s: string) {
  if (s.length === 0) {
    return true;█
  }
}
`,
    note: 'The cursor already sits at the right column.',
  },
  {
    id: 'ts-whitespace-03',
    class: 'whitespace',
    language: 'typescript',
    doc: `function isEmpty(s: string) {
  █
}
`,
    reply: '  return s.length === 0;',
    after: `function isEmpty(s: string) {
  return s.length === 0;█
}
`,
  },
  {
    id: 'ts-whitespace-04',
    class: 'whitespace',
    language: 'typescript',
    doc: `const timeout =█
`,
    reply: ' 5000;',
    after: `const timeout = 5000;█
`,
    note: 'No space before the cursor: the leading space is needed.',
  },
  {
    id: 'ts-whitespace-05',
    class: 'whitespace',
    language: 'typescript',
    doc: `function parse(input: string) {
█
}
`,
    reply: '  return JSON.parse(input);',
    after: `function parse(input: string) {
  return JSON.parse(input);█
}
`,
    note: 'The cursor is at column 0: the indentation is needed.',
  },
  // 7. indentation
  {
    id: 'ts-indentation-01',
    class: 'indentation',
    language: 'typescript',
    doc: `import { run } from "./run";

export function start() {█`,
    reply: `
  const app = run();
  if (!app) {
    return;
  }
}`,
    after: `import { run } from "./run";

export function start() {
  const app = run();
  if (!app) {
    return;
  }
}█`,
    note: 'No indented line in the file and no editor options: nothing proves the model wrong, keep its 2-space steps.',
  },
  {
    id: 'ts-indentation-02',
    class: 'indentation',
    language: 'typescript',
    doc: `export function start() {█`,
    reply: `
  const app = run();
  if (!app) {
    return;
  }
}`,
    formatting: { tabSize: 4, insertSpaces: true },
    after: `export function start() {
    const app = run();
    if (!app) {
        return;
    }
}█`,
  },
  {
    id: 'ts-indentation-03',
    class: 'indentation',
    language: 'typescript',
    doc: `export function stop() {█`,
    reply: `
    server.close();
    return true;
}`,
    formatting: { tabSize: 4, insertSpaces: false },
    after: `export function stop() {
\tserver.close();
\treturn true;
}█`,
  },
  {
    id: 'ts-indentation-04',
    class: 'indentation',
    language: 'typescript',
    doc: `export class Queue {
\tprivate items: number[] = [];

\tpush(item: number) {█
}
`,
    reply: `
    this.items.push(item);
  }`,
    after: `export class Queue {
\tprivate items: number[] = [];

\tpush(item: number) {
\t\tthis.items.push(item);
\t}█
}
`,
    note: 'A tab-indented file: the model\'s spaces become tabs.',
  },
  {
    id: 'ts-indentation-05',
    class: 'indentation',
    language: 'typescript',
    doc: `export const handlers = {
  users: {
    list: {
      get: async () => {
        if (cache.has("users")) {
          return cache.get("users");
        }
        const rows = await db.all("users");█
`,
    reply: `
        cache.set("users", rows);
        return rows;`,
    after: `export const handlers = {
  users: {
    list: {
      get: async () => {
        if (cache.has("users")) {
          return cache.get("users");
        }
        const rows = await db.all("users");
        cache.set("users", rows);
        return rows;█
`,
    note: 'Deep lines keep their depth; the file\'s 2-space steps are the model\'s too.',
  },
  {
    id: 'ts-indentation-06',
    class: 'indentation',
    language: 'typescript',
    doc: `const name = "Ada";
const age = 36;
█
`,
    reply: `const message = format("user", name,
                       "age", age);`,
    after: `const name = "Ada";
const age = 36;
const message = format("user", name,
                       "age", age);█
`,
    note: 'An argument aligned under the call (23 columns) is alignment, not one indentation step.',
  },
  // 8. completing a partly typed line
  {
    id: 'ts-partial-01',
    class: 'partial',
    language: 'typescript',
    doc: `function sum(values: number[]) {
  const total = values.█
}
`,
    reply: `reduce((a, b) => a + b, 0);
  console.log(total);
  return total;`,
    after: `function sum(values: number[]) {
  const total = values.reduce((a, b) => a + b, 0);█
}
`,
  },
  {
    id: 'ts-partial-02',
    class: 'partial',
    language: 'typescript',
    doc: `async function find(id: string) {
  const user = await db.users.█
}
`,
    reply: `findOne({
    where: { id },
  });
  return user;`,
    after: `async function find(id: string) {
  const user = await db.users.findOne({
    where: { id },
  });█
}
`,
    note: 'The current statement spans three lines; it ends at its ";".',
  },
  {
    id: 'ts-partial-03',
    class: 'partial',
    language: 'javascript',
    doc: `const port = process.env.PORT || █
`,
    reply: `3000;
app.listen(port);`,
    chatReply: fence('javascript', 'const port = process.env.PORT || 3000;\napp.listen(port);'),
    after: `const port = process.env.PORT || 3000;█
`,
  },
  {
    id: 'ts-partial-04',
    class: 'partial',
    language: 'typescript',
    doc: `export function ok(body: unknown) {
  return new Response(JSON.stringify(body));
}

export function handler(req: Request) {█
`,
    reply: `
  const body = req.body;
  return respond(body);
}`,
    after: `export function ok(body: unknown) {
  return new Response(JSON.stringify(body));
}

export function handler(req: Request) {
  const body = req.body;
  return respond(body);
}█
`,
    note: 'The line ends an opening construct: several lines are wanted.',
  },
  // 9. suggest-widget selection
  {
    id: 'ts-selection-01',
    class: 'selection',
    language: 'typescript',
    doc: `const names = users.ma█
`,
    reply: 'p((user) => user.name);',
    selected: { replace: 'ma', text: 'map' },
    after: `const names = users.map((user) => user.name);█
`,
  },
  {
    id: 'ts-selection-02',
    class: 'selection',
    language: 'typescript',
    doc: `console.█
`,
    reply: 'log("ready");',
    selected: { replace: '', text: 'log' },
    after: `console.log("ready");█
`,
  },
  {
    id: 'ts-selection-03',
    class: 'selection',
    language: 'typescript',
    doc: `const biggest = Math.m█
`,
    reply: 'in(a, b);',
    selected: { replace: 'm', text: 'max' },
    after: null,
    note: 'The model wants min, the widget has max selected: VS Code would not show it.',
  },
  {
    id: 'ts-selection-04',
    class: 'selection',
    language: 'javascript',
    doc: `function render(item) {
  draw(item);
}
items.forE█
`,
    reply: `ach((item) => {
  render(item);
});`,
    selected: { replace: 'forE', text: 'forEach' },
    after: `function render(item) {
  draw(item);
}
items.forEach((item) => {
  render(item);
});█
`,
  },
  // Variations: closers
  {
    id: 'ts-closers-09',
    class: 'closers',
    language: 'typescript',
    doc: `const first = lookup(table[█])
`,
    reply: '0]);',
    after: `const first = lookup(table[0]);█
`,
    note: 'The model closes both brackets in the order they were opened and ends the statement.',
  },
  {
    id: 'ts-closers-10',
    class: 'closers',
    language: 'typescript',
    doc: `console.log(█)
`,
    reply: 'items.map((item) => item.id)',
    after: `console.log(items.map((item) => item.id)█)
`,
    note: 'The reply ends with a ")" of its own: the auto-inserted one stays.',
  },
  {
    id: 'ts-closers-11',
    class: 'closers',
    language: 'typescript',
    doc: `logger.warn(█)
`,
    reply: '"unbalanced ) in input:", input);',
    after: `logger.warn("unbalanced ) in input:", input);█
`,
    note: 'A ")" inside a string literal closes nothing.',
  },
  {
    id: 'ts-closers-12',
    class: 'closers',
    language: 'typescript',
    doc: `const message = "█"
`,
    reply: 'She said \\"hi\\"";',
    after: `const message = "She said \\"hi\\"";█
`,
    note: 'Escaped quotes inside the string do not end it.',
  },
  // Variations: stops
  {
    id: 'ts-stops-06',
    class: 'stops',
    language: 'javascript',
    doc: `function readAll(stream) {
  let chunk;
  do {█
}
`,
    reply: `
    chunk = stream.read();
    if (chunk) chunks.push(chunk);
  } while (chunk);
  return chunks;`,
    after: `function readAll(stream) {
  let chunk;
  do {
    chunk = stream.read();
    if (chunk) chunks.push(chunk);
  } while (chunk);█
}
`,
    note: 'The do block ends with "} while (…);", a closing line that goes on.',
  },
  {
    id: 'ts-stops-07',
    class: 'stops',
    language: 'typescript',
    doc: `describe("parse", () => {
  it("reads numbers", () => {█
});
`,
    reply: `
    expect(parse("1")).toBe(1);
  });

  it("reads strings", () => {
    expect(parse('"a"')).toBe("a");
  });`,
    after: `describe("parse", () => {
  it("reads numbers", () => {
    expect(parse("1")).toBe(1);
  });█
});
`,
    note: 'The suggestion ends with the test its line opened, not with the next test.',
  },
  // Variations: overlap
  {
    id: 'ts-overlap-07',
    class: 'overlap',
    language: 'typescript',
    doc: `const total = sum(█, 2);
`,
    reply: '1, 2)',
    after: `const total = sum(1█, 2);
`,
    note: 'The reply re-types the rest of the line without its ";": still only the new part is inserted.',
  },
  {
    id: 'ts-overlap-08',
    class: 'overlap',
    language: 'typescript',
    doc: `print(█)
`,
    reply: ')',
    after: null,
    note: 'The reply is only the closer that is already there.',
  },
  {
    id: 'ts-overlap-09',
    class: 'overlap',
    language: 'typescript',
    doc: `function main() {
  const a = 1;
  █
  const c = a + b;
  return c;
}
`,
    reply: `const b = 2;
  const c = a + b;
  return c;`,
    after: `function main() {
  const a = 1;
  const b = 2;█
  const c = a + b;
  return c;
}
`,
    note: 'Two lines of the reply repeat the two lines below.',
  },
  // Variations: repetition
  {
    id: 'ts-repetition-05',
    class: 'repetition',
    language: 'typescript',
    doc: `function build() {
  █
}
`,
    reply: `const app = express();
  app.use(json());
  app.use(cors());
  app.use(cors());
  app.use(cors());
  app.use(cors());
  app.use(cors());`,
    finishReason: 'length',
    after: `function build() {
  const app = express();
  app.use(json());
  app.use(cors());█
}
`,
    note: 'The repetition starts after two distinct lines: they are kept.',
  },
  {
    id: 'ts-repetition-06',
    class: 'repetition',
    language: 'typescript',
    doc: `function visit(node: Node) {
  █
}
`,
    reply: `if (node.left) {
    if (node.left.leaf) {
      emit(node.left);
    }
  }`,
    after: `function visit(node: Node) {
  if (node.left) {
    if (node.left.leaf) {
      emit(node.left);
    }
  }█
}
`,
    note: 'Closing lines that look alike close different blocks: no repetition.',
  },
  // Variations: junk
  {
    id: 'ts-junk-08',
    class: 'junk',
    language: 'typescript',
    doc: `function clamp(x: number) {
  █
}
`,
    reply: '```\nreturn Math.min(1, Math.max(0, x));\n```',
    templates: ['fim'],
    after: `function clamp(x: number) {
  return Math.min(1, Math.max(0, x));█
}
`,
    note: 'A fence without a language tag.',
  },
  {
    id: 'ts-junk-09',
    class: 'junk',
    language: 'typescript',
    doc: `toast("█")
`,
    reply: 'Saved ✅")',
    after: `toast("Saved ✅")█
`,
    note: 'An emoji inside a string is content, not a stray character.',
  },
  {
    id: 'ts-junk-10',
    class: 'junk',
    language: 'typescript',
    doc: `let total = 0;
for (const item of items) {
  total █
}
`,
    reply: '+= item.price;',
    after: `let total = 0;
for (const item of items) {
  total += item.price;█
}
`,
  },
  {
    id: 'ts-junk-11',
    class: 'junk',
    language: 'typescript',
    doc: `export function id<T>(x: T): T {
  █
}
`,
    reply: '\ufeffreturn x;',
    after: `export function id<T>(x: T): T {
  return x;█
}
`,
    note: 'A byte-order mark in front of the answer.',
  },
  // Variations: whitespace
  {
    id: 'ts-whitespace-06',
    class: 'whitespace',
    language: 'typescript',
    doc: `function run(x: boolean) {
  if (x) {
  █
  }
}
`,
    reply: '  start();',
    after: `function run(x: boolean) {
  if (x) {
    start();█
  }
}
`,
    note: 'The cursor is short of the block\'s column: the reply\'s leading spaces are needed.',
  },
  {
    id: 'ts-whitespace-07',
    class: 'whitespace',
    language: 'typescript',
    doc: `const a = 1;█
`,
    reply: '\nconst b = 2;',
    after: `const a = 1;
const b = 2;█
`,
    note: 'At the end of a finished line, the leading newline is needed.',
  },
  {
    id: 'ts-whitespace-08',
    class: 'whitespace',
    language: 'typescript',
    doc: `function f() {
  █
}
`,
    reply: '   ',
    after: null,
  },
  // Variations: indentation
  {
    id: 'ts-indentation-07',
    class: 'indentation',
    language: 'typescript',
    doc: `export class Api {
  constructor(private readonly http: Http) {}

  get(path: string) {█
}
`,
    reply: `
\t\treturn this.http.get(path);
\t}`,
    after: `export class Api {
  constructor(private readonly http: Http) {}

  get(path: string) {
    return this.http.get(path);
  }█
}
`,
    note: 'The model indents with tabs in a 2-space file: each tab is one level.',
  },
  {
    id: 'ts-indentation-08',
    class: 'indentation',
    language: 'typescript',
    doc: `export class Api {
  █
}
`,
    reply: `/**
   * Sends the request.
   */
  send() {}`,
    after: `export class Api {
  /**
   * Sends the request.
   */
  send() {}█
}
`,
    note: 'The " * " lines of a doc comment are aligned one column in: alignment, not a step.',
  },
  // Variations: partial
  {
    id: 'ts-partial-05',
    class: 'partial',
    language: 'typescript',
    doc: `async function load(url: string) {
  const response = await fetch(url)█
}
`,
    reply: `;
  const data = await response.json();`,
    after: `async function load(url: string) {
  const response = await fetch(url);█
}
`,
  },
  {
    id: 'ts-partial-06',
    class: 'partial',
    language: 'typescript',
    doc: `function active(users: User[]) {
  return users█
}
`,
    reply: `
    .filter((user) => user.active)
    .map((user) => user.name);`,
    after: `function active(users: User[]) {
  return users
    .filter((user) => user.active)
    .map((user) => user.name);█
}
`,
    note: 'The reply starts on a new line but continues the statement: it ends with the statement.',
  },
  // Variations: selection
  {
    id: 'ts-selection-05',
    class: 'selection',
    language: 'typescript',
    doc: `print(path.jo█)
`,
    reply: 'in(root, name)',
    selected: { replace: 'jo', text: 'join' },
    after: `print(path.join(root, name)█)
`,
  },
  {
    id: 'ts-selection-06',
    class: 'selection',
    language: 'typescript',
    doc: `const visible = items.fi█
`,
    reply: '',
    selected: { replace: 'fi', text: 'filter' },
    after: null,
    note: 'The model has nothing to add.',
  },
  // Variations: limits, positions, explicit invocation
  {
    id: 'ts-stops-08',
    class: 'stops',
    language: 'typescript',
    doc: `function setup() {
  █
}
`,
    reply: `const a = load("a");
  const b = load("b");
  const c = load("c");
  const d = load("d");
  const e = load("e");
  const f = load("f");
  const g = load("g");
  const h = load("h");
  const i = load("i");
  if (a && b) {
    start(a);
    start(b);
    start(c);
  }`,
    after: `function setup() {
  const a = load("a");
  const b = load("b");
  const c = load("c");
  const d = load("d");
  const e = load("e");
  const f = load("f");
  const g = load("g");
  const h = load("h");
  const i = load("i");█
}
`,
    note: 'At most 12 lines (the default tandem.completions.maxLines): cutting at line 12 would leave the if open, so the cut goes back to before it.',
  },
  {
    id: 'ts-closers-13',
    class: 'closers',
    language: 'typescript',
    doc: `toast("🚀 █")
`,
    reply: 'Launched", { duration: 2000 })',
    after: `toast("🚀 Launched", { duration: 2000 })█
`,
    note: 'An emoji (two UTF-16 code units) before the cursor: the range must still cover exactly the auto-inserted \'")\'.',
  },
  {
    id: 'ts-whitespace-09',
    class: 'whitespace',
    language: 'typescript',
    doc: `const retries = █
`,
    reply: '  3;',
    trigger: 'invoke',
    after: `const retries = 3;█
`,
    note: 'Invoked explicitly (Alt+\\): the same text as an automatic suggestion.',
  },
  {
    id: 'ts-junk-12',
    class: 'junk',
    language: 'typescript',
    doc: `function main() {
  █
}
`,
    reply: '//',
    trigger: 'invoke',
    after: null,
  },
  {
    id: 'ts-whitespace-10',
    class: 'whitespace',
    language: 'typescript',
    doc: `export function square(a: number) {
  return a * a;
}
export function area(r: number) {█
`,
    reply: '\r\n  return Math.PI * r * r;\r\n}',
    after: `export function square(a: number) {
  return a * a;
}
export function area(r: number) {
  return Math.PI * r * r;
}█
`,
    note: 'The model answered with CRLF line breaks in a LF document.',
  },
  {
    id: 'ts-overlap-10',
    class: 'overlap',
    language: 'typescript',
    doc: `const user = find(█, { strict: true });
`,
    reply: 'id, { strict: true });',
    chatReply: fence('typescript', 'id, { strict: true });\nconsole.log(user);'),
    after: `const user = find(id█, { strict: true });
`,
    note: 'Text right of the cursor: one line only, whatever a chat model adds after it.',
  },
  {
    id: 'ts-closers-14',
    class: 'closers',
    language: 'typescript',
    doc: `const greeting = \`Hello, \${█}\`
`,
    reply: 'user.name}!`;',
    after: `const greeting = \`Hello, \${user.name}!\`;█
`,
  },
  {
    id: 'ts-overlap-11',
    class: 'overlap',
    language: 'typescript',
    doc: `const handlers = {
  onClick() {
    █
  }
};
`,
    reply: `track("click");
  };`,
    after: `const handlers = {
  onClick() {
    track("click");█
  }
};
`,
    note: 'The reply\'s "};" is the "}" below with a stray ";".',
  },
  {
    id: 'ts-repetition-07',
    class: 'repetition',
    language: 'typescript',
    doc: `function check(a: boolean) {
  █
}
`,
    reply: `if (a) {
    if (a) {
      if (a) {
        if (a) {
          if (a) {
            if (a) {`,
    finishReason: 'length',
    after: null,
    note: 'The model nests the same line forever: cut where it repeats, only a half-open "if (a) {" is left, which is no suggestion.',
  },
  {
    id: 'ts-partial-07',
    class: 'partial',
    language: 'typescript',
    doc: `function main() {
  start(█)
}
`,
    reply: 'config); log("started");',
    after: `function main() {
  start(config);█
}
`,
    note: 'A second statement on the same line is not part of the one being typed.',
  },
  {
    id: 'ts-closers-15',
    class: 'closers',
    language: 'typescript',
    doc: `function show(url: string) {
  fetch(url).then((res) => {█})
}
`,
    reply: `
    return res.json();
  }).then(render);`,
    after: `function show(url: string) {
  fetch(url).then((res) => {
    return res.json();
  }).then(render);█
}
`,
  },
  {
    id: 'ts-overlap-12',
    class: 'overlap',
    language: 'typescript',
    doc: `const total = compute(
  price,
  █
);
`,
    reply: `quantity,
);`,
    after: `const total = compute(
  price,
  quantity,█
);
`,
  },
  {
    id: 'ts-junk-13',
    class: 'junk',
    language: 'typescript',
    doc: `function half(n: number) {
  █
}
`,
    reply: 'return n / 2;\n```',
    templates: ['fim'],
    after: `function half(n: number) {
  return n / 2;█
}
`,
    note: 'Only the closing fence came through.',
  },
  {
    id: 'ts-partial-08',
    class: 'partial',
    language: 'typescript',
    doc: `function ok(a: boolean, b: boolean) {
  return a &&█
}
`,
    reply: ` b;
  return false;`,
    after: `function ok(a: boolean, b: boolean) {
  return a && b;█
}
`,
  },
  {
    id: 'ts-selection-07',
    class: 'selection',
    language: 'javascript',
    doc: `const fs = requ█
`,
    reply: 'ire("node:fs");',
    selected: { replace: 'requ', text: 'require' },
    after: `const fs = require("node:fs");█
`,
  },
  {
    id: 'ts-repetition-08',
    class: 'repetition',
    language: 'typescript',
    doc: `describe("sum", () => {
  █
});
`,
    reply: `it("adds", () => {
    expect(sum(1, 2)).toBe(3);
  });

  it("adds", () => {
    expect(sum(1, 2)).toBe(3);
  });

  it("adds", () => {
    expect(sum(1, 2)).toBe(3);
  });`,
    after: `describe("sum", () => {
  it("adds", () => {
    expect(sum(1, 2)).toBe(3);
  });█
});
`,
    note: 'The same three-line test, three times.',
  },
  {
    id: 'ts-overlap-13',
    class: 'overlap',
    language: 'typescript',
    doc: `function init() {
  const a = 1;
  █
}
`,
    reply: `const a = 1;
  const b = 2;`,
    after: `function init() {
  const a = 1;
  const b = 2;█
}
`,
    note: 'The fill-in-the-middle answer starts by repeating the line before the cursor.',
  },
  {
    id: 'ts-junk-14',
    class: 'junk',
    language: 'typescript',
    doc: `function count(items: Item[]) {
  const total = █
}
`,
    reply: 'const total = items.length;',
    after: `function count(items: Item[]) {
  const total = items.length;█
}
`,
    note: 'The answer echoes the start of the cursor line.',
  },
  {
    id: 'ts-closers-16',
    class: 'closers',
    language: 'typescript',
    doc: `const biggest = Math.max(█)
`,
    reply: fence('typescript', 'a, b);'),
    templates: ['fim'],
    after: `const biggest = Math.max(a, b);█
`,
    note: 'A fenced fill-in-the-middle answer that closes the auto-inserted ")".',
  },
  {
    id: 'ts-repetition-09',
    class: 'repetition',
    language: 'typescript',
    doc: `function main() {
  █
  cleanup();
}
`,
    reply: `run();
  cleanup();
  cleanup();
  cleanup();
  cleanup();`,
    after: `function main() {
  run();█
  cleanup();
}
`,
    note: 'The repeated line is also the next line below.',
  },
];
