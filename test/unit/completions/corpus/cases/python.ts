import type { CorpusCase } from '../format';
import { fence } from './text';

export const PYTHON_CASES: readonly CorpusCase[] = [
  // 1. closers right of the cursor
  {
    id: 'py-closers-01',
    class: 'closers',
    language: 'python',
    doc: `def greet(name):
    print(█)
`,
    reply: 'f"Hello, {name}!"',
    after: `def greet(name):
    print(f"Hello, {name}!"█)
`,
  },
  {
    id: 'py-closers-02',
    class: 'closers',
    language: 'python',
    doc: `def load(path):
    with open(█)
`,
    reply: 'path, encoding="utf-8") as handle:',
    after: `def load(path):
    with open(path, encoding="utf-8") as handle:█
`,
  },
  {
    id: 'py-closers-03',
    class: 'closers',
    language: 'python',
    doc: `class Point:
    def distance(█)
`,
    reply: 'self, other: "Point") -> float:',
    after: `class Point:
    def distance(self, other: "Point") -> float:█
`,
    note: 'The whole signature, not only the parameters.',
  },
  {
    id: 'py-closers-04',
    class: 'closers',
    language: 'python',
    doc: `log.info("Loaded █")
`,
    reply: '%d rows", count)',
    after: `log.info("Loaded %d rows", count)█
`,
    note: 'The model closes the string and the call itself; the auto-inserted quote and parenthesis must not appear twice.',
  },
  {
    id: 'py-closers-05',
    class: 'closers',
    language: 'python',
    doc: `DEFAULTS = {█}
`,
    reply: `
    "host": "localhost",
    "port": 8080,
}`,
    after: `DEFAULTS = {
    "host": "localhost",
    "port": 8080,
}█
`,
  },
  {
    id: 'py-closers-06',
    class: 'closers',
    language: 'python',
    doc: `squares = [█]
`,
    reply: 'n * n for n in range(10)',
    after: `squares = [n * n for n in range(10)█]
`,
  },
  // 2. where a multi-line suggestion stops
  {
    id: 'py-stops-01',
    class: 'stops',
    language: 'python',
    doc: `def sign(n):
    if n > 0:
        █
`,
    reply: `return 1
    elif n < 0:
        return -1
    else:
        return 0`,
    after: `def sign(n):
    if n > 0:
        return 1
    elif n < 0:
        return -1
    else:
        return 0█
`,
  },
  {
    id: 'py-stops-02',
    class: 'stops',
    language: 'python',
    doc: `import json


def read_config(path):
    try:
        █
`,
    reply: `with open(path) as handle:
            return json.load(handle)
    except FileNotFoundError:
        return {}`,
    after: `import json


def read_config(path):
    try:
        with open(path) as handle:
            return json.load(handle)
    except FileNotFoundError:
        return {}█
`,
  },
  {
    id: 'py-stops-03',
    class: 'stops',
    language: 'python',
    doc: `def normalize(rows):█
`,
    reply: `
    cleaned = [row.strip() for row in rows]

    return [row for row in cleaned if row]`,
    after: `def normalize(rows):
    cleaned = [row.strip() for row in rows]

    return [row for row in cleaned if row]█
`,
    note: 'A blank line inside the body is not the end of the function.',
  },
  {
    id: 'py-stops-04',
    class: 'stops',
    language: 'python',
    doc: `class Stack:
    def __init__(self):
        self.items = []

    def push(self, item):█
`,
    reply: `
        self.items.append(item)

    def pop(self):
        return self.items.pop()`,
    after: `class Stack:
    def __init__(self):
        self.items = []

    def push(self, item):
        self.items.append(item)█
`,
    note: 'The suggestion ends with the method it completes.',
  },
  {
    id: 'py-stops-05',
    class: 'stops',
    language: 'python',
    doc: `def fetch(url):
    for attempt in range(3):
        try:
            return get(url)
        █
`,
    reply: `except TimeoutError:
            continue
        finally:
            log.debug("attempt %d", attempt)`,
    after: `def fetch(url):
    for attempt in range(3):
        try:
            return get(url)
        except TimeoutError:
            continue
        finally:
            log.debug("attempt %d", attempt)█
`,
  },
  // 3. overlap with the code after the cursor
  {
    id: 'py-overlap-01',
    class: 'overlap',
    language: 'python',
    doc: `def area(w, h):
    █
    return w * h
`,
    reply: `if w < 0 or h < 0:
        raise ValueError("negative size")
    return w * h`,
    after: `def area(w, h):
    if w < 0 or h < 0:
        raise ValueError("negative size")█
    return w * h
`,
  },
  {
    id: 'py-overlap-02',
    class: 'overlap',
    language: 'python',
    doc: `def total(prices):
    result = 0
    █
    return result
`,
    reply: `for price in prices:
        result += price
    return  result`,
    after: `def total(prices):
    result = 0
    for price in prices:
        result += price█
    return result
`,
    note: 'The last line is the next line with a doubled space.',
  },
  {
    id: 'py-overlap-03',
    class: 'overlap',
    language: 'python',
    doc: `response = session.get(█, timeout=10)
`,
    reply: 'url, timeout=10)',
    after: `response = session.get(url█, timeout=10)
`,
  },
  {
    id: 'py-overlap-04',
    class: 'overlap',
    language: 'python',
    doc: `def main():
    args = parse_args()
    █
    run(args)
`,
    reply: 'run(args)',
    after: null,
    note: 'The whole suggestion is already the next line.',
  },
  {
    id: 'py-overlap-05',
    class: 'overlap',
    language: 'python',
    doc: `COLORS = {
    "red": "#f00",
    █
}
`,
    reply: `"green": "#0f0",
    "blue": "#00f"
}`,
    after: `COLORS = {
    "red": "#f00",
    "green": "#0f0",
    "blue": "#00f"█
}
`,
  },
  // 4. repetition
  {
    id: 'py-repetition-01',
    class: 'repetition',
    language: 'python',
    doc: `def setup(parser):
    parser.add_argument("--verbose", action="store_true")
    █
`,
    reply: `parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--quiet", action="store_true")`,
    finishReason: 'length',
    after: `def setup(parser):
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--quiet", action="store_true")█
`,
  },
  {
    id: 'py-repetition-02',
    class: 'repetition',
    language: 'python',
    doc: `class Config:
    def __init__(self):
        █
`,
    reply: `self.name = None
        self.debug = False
        self.name = None
        self.debug = False
        self.name = None
        self.debug = False`,
    after: `class Config:
    def __init__(self):
        self.name = None
        self.debug = False█
`,
  },
  {
    id: 'py-repetition-03',
    class: 'repetition',
    language: 'python',
    doc: `def test_parse():
    █
`,
    reply: `assert parse("1") == 1
    assert parse("2") == 2
    assert parse("10") == 10`,
    after: `def test_parse():
    assert parse("1") == 1
    assert parse("2") == 2
    assert parse("10") == 10█
`,
    note: 'Lines of the same shape with different values are no repetition.',
  },
  // 5. junk from the model
  {
    id: 'py-junk-01',
    class: 'junk',
    language: 'python',
    doc: `def is_even(n):
    █
`,
    reply: fence('python', 'return n % 2 == 0'),
    templates: ['fim'],
    after: `def is_even(n):
    return n % 2 == 0█
`,
  },
  {
    id: 'py-junk-02',
    class: 'junk',
    language: 'python',
    doc: `█
`,
    reply: `# Path: tools/version.py
VERSION = "2.1.0"`,
    after: `VERSION = "2.1.0"█
`,
  },
  {
    id: 'py-junk-03',
    class: 'junk',
    language: 'python',
    doc: `def square(x):
    return █
`,
    reply: 'x * x<|fim_pad|><|fim_pad|>',
    chatReply: 'x * x<|im_end|>',
    after: `def square(x):
    return x * x█
`,
  },
  {
    id: 'py-junk-04',
    class: 'junk',
    language: 'python',
    doc: `def main():
    █
`,
    reply: '#',
    after: null,
  },
  {
    id: 'py-junk-05',
    class: 'junk',
    language: 'python',
    doc: `def total(items):
    █
`,
    reply: 'return sum(item.price for item in items)',
    chatReply: '+    return sum(item.price for item in items)',
    after: `def total(items):
    return sum(item.price for item in items)█
`,
    note: 'The chat model answered as a diff line.',
  },
  {
    id: 'py-junk-06',
    class: 'junk',
    language: 'python',
    doc: `offset = base █
`,
    reply: '- 1',
    after: `offset = base - 1█
`,
    note: 'A leading "-" that continues the expression is code, not a diff marker.',
  },
  {
    id: 'py-junk-07',
    class: 'junk',
    language: 'python',
    doc: `def first(items):
    return █
`,
    reply: 'items[0] if items else None\n<|file_sep|>tests/test_first.py\nfrom app import first',
    templates: ['fim'],
    after: `def first(items):
    return items[0] if items else None█
`,
  },
  // 6. whitespace at the cursor
  {
    id: 'py-whitespace-01',
    class: 'whitespace',
    language: 'python',
    doc: `retries = █
`,
    reply: ' 3',
    after: `retries = 3█
`,
  },
  {
    id: 'py-whitespace-02',
    class: 'whitespace',
    language: 'python',
    doc: `def name(user):
    return █
`,
    reply: '\tuser.first_name',
    after: `def name(user):
    return user.first_name█
`,
  },
  {
    id: 'py-whitespace-03',
    class: 'whitespace',
    language: 'python',
    doc: `def check(value):
    if value is None:
        █
`,
    reply: `
        raise ValueError("value is required")`,
    after: `def check(value):
    if value is None:
        raise ValueError("value is required")█
`,
  },
  {
    id: 'py-whitespace-04',
    class: 'whitespace',
    language: 'python',
    doc: `def check(value):
    █
`,
    reply: '    return value is not None',
    after: `def check(value):
    return value is not None█
`,
  },
  {
    id: 'py-whitespace-05',
    class: 'whitespace',
    language: 'python',
    doc: `def check(value):
█
`,
    reply: '    return value is not None',
    after: `def check(value):
    return value is not None█
`,
    note: 'At column 0 the indentation is part of the suggestion.',
  },
  // 7. indentation
  {
    id: 'py-indentation-01',
    class: 'indentation',
    language: 'python',
    doc: `import sys

def main():█`,
    reply: `
  for arg in sys.argv[1:]:
    print(arg)`,
    after: `import sys

def main():
  for arg in sys.argv[1:]:
    print(arg)█`,
    note: 'No indented line and no editor options: keep the model\'s steps.',
  },
  {
    id: 'py-indentation-02',
    class: 'indentation',
    language: 'python',
    doc: `import sys

def main():█`,
    reply: `
  for arg in sys.argv[1:]:
    print(arg)`,
    formatting: { tabSize: 4, insertSpaces: true },
    after: `import sys

def main():
    for arg in sys.argv[1:]:
        print(arg)█`,
  },
  {
    id: 'py-indentation-03',
    class: 'indentation',
    language: 'python',
    doc: `def outer():
    def inner(x):
        return x * 2

    def twice(x):█
`,
    reply: `
      return inner(inner(x))`,
    after: `def outer():
    def inner(x):
        return x * 2

    def twice(x):
        return inner(inner(x))█
`,
    note: 'The file steps by 4; the model stepped by 2 from the cursor line.',
  },
  {
    id: 'py-indentation-04',
    class: 'indentation',
    language: 'python',
    doc: `def report(rows):
    for row in rows:
        █
`,
    reply: `print("{:<20} {:>10}".format(row.name,
                                     row.total))`,
    after: `def report(rows):
    for row in rows:
        print("{:<20} {:>10}".format(row.name,
                                     row.total))█
`,
    note: 'A continuation aligned with the opening parenthesis keeps its column.',
  },
  // 8. completing a partly typed line
  {
    id: 'py-partial-01',
    class: 'partial',
    language: 'python',
    doc: `def cost(price, quantity):
    total = price * █
`,
    reply: `quantity
    return total`,
    after: `def cost(price, quantity):
    total = price * quantity█
`,
  },
  {
    id: 'py-partial-02',
    class: 'partial',
    language: 'python',
    doc: `def names(users):
    result = [user.name for user in █
`,
    reply: `users if user.active]
    return result`,
    chatReply: fence('python', 'result = [user.name for user in users if user.active]\n    return result'),
    after: `def names(users):
    result = [user.name for user in users if user.active]█
`,
  },
  {
    id: 'py-partial-03',
    class: 'partial',
    language: 'python',
    doc: `def read(path):
    with open(path) as handle:█
`,
    reply: `
        data = handle.read()
    return data`,
    after: `def read(path):
    with open(path) as handle:
        data = handle.read()█
`,
    note: 'The line opens a block: several lines are wanted, up to the end of that block.',
  },
  // 9. suggest-widget selection
  {
    id: 'py-selection-01',
    class: 'selection',
    language: 'python',
    doc: `import os

def target(root, name):
    return os.path.jo█
`,
    reply: 'in(root, name)',
    selected: { replace: 'jo', text: 'join' },
    after: `import os

def target(root, name):
    return os.path.join(root, name)█
`,
  },
  {
    id: 'py-selection-02',
    class: 'selection',
    language: 'python',
    doc: `import re

def words(text):
    return re.fin█
`,
    reply: 'diter(r"\\w+", text)',
    selected: { replace: 'fin', text: 'findall' },
    after: null,
    note: 'The model continues with finditer while findall is selected.',
  },
  {
    id: 'py-selection-03',
    class: 'selection',
    language: 'python',
    doc: `class Bag:
    def add(self, item):
        self.█
`,
    reply: 'items.append(item)',
    selected: { replace: '', text: 'items' },
    after: `class Bag:
    def add(self, item):
        self.items.append(item)█
`,
  },
  // Variations
  {
    id: 'py-closers-07',
    class: 'closers',
    language: 'python',
    doc: `def show(items):
    print(len(█))
`,
    reply: 'items))',
    after: `def show(items):
    print(len(items))█
`,
  },
  {
    id: 'py-closers-08',
    class: 'closers',
    language: 'python',
    doc: `def show(items):
    print(len(█))
`,
    reply: 'items)',
    after: `def show(items):
    print(len(items)█)
`,
    note: 'The model closed only the inner call: its ")" takes the place of the first auto-inserted one.',
  },
  {
    id: 'py-stops-06',
    class: 'stops',
    language: 'python',
    doc: `def parse(text):
    try:
        value = int(text)
    █
`,
    reply: `except ValueError:
        return None
    else:
        return value * 2
    finally:
        log.debug("parsed %r", text)`,
    after: `def parse(text):
    try:
        value = int(text)
    except ValueError:
        return None
    else:
        return value * 2
    finally:
        log.debug("parsed %r", text)█
`,
  },
  {
    id: 'py-stops-07',
    class: 'stops',
    language: 'python',
    doc: `def main():
    args = parse_args()
    █
`,
    reply: `run(args)


if __name__ == "__main__":
    main()`,
    after: `def main():
    args = parse_args()
    run(args)█
`,
    note: 'The function body ends at the dedent; the module-level block is another statement.',
  },
  {
    id: 'py-overlap-06',
    class: 'overlap',
    language: 'python',
    doc: `if user and █ and not user.banned:
    grant(user)
`,
    reply: 'user.is_admin and not user.banned:',
    after: `if user and user.is_admin█ and not user.banned:
    grant(user)
`,
  },
  {
    id: 'py-repetition-04',
    class: 'repetition',
    language: 'python',
    doc: `def close(self):
    █
`,
    reply: `self.conn.commit()
    self.conn.close()
    self.conn = None
    self.conn = None
    self.conn = None
    self.conn = None`,
    after: `def close(self):
    self.conn.commit()
    self.conn.close()
    self.conn = None█
`,
  },
  {
    id: 'py-junk-08',
    class: 'junk',
    language: 'python',
    doc: `def total(items):
    █
`,
    reply: 'return sum(items)',
    chatReply: '-    pass\n+    return sum(items)',
    after: `def total(items):
    return sum(items)█
`,
    note: 'The chat model answered as a diff: the removed line is not code to insert, the added one is.',
  },
  {
    id: 'py-junk-09',
    class: 'junk',
    language: 'python',
    doc: `def area(r):
    █
`,
    reply: '<|fim_middle|>return math.pi * r ** 2',
    templates: ['fim'],
    after: `def area(r):
    return math.pi * r ** 2█
`,
    note: 'A template token echoed in front of the answer: the answer is what follows it.',
  },
  {
    id: 'py-whitespace-06',
    class: 'whitespace',
    language: 'python',
    doc: `def run(ok):
    if ok:
    █
`,
    reply: '    start()',
    after: `def run(ok):
    if ok:
        start()█
`,
    note: 'The cursor is short of the block\'s column: the leading spaces are needed.',
  },
  {
    id: 'py-indentation-05',
    class: 'indentation',
    language: 'python',
    doc: `def outer():
\tdef inner():█
`,
    reply: `
        return 1
    return inner`,
    after: `def outer():
\tdef inner():
\t\treturn 1█
`,
    note: 'A tab-indented file: the model\'s 4-space steps become tabs; the suggestion ends with the block its line opened.',
  },
  {
    id: 'py-partial-04',
    class: 'partial',
    language: 'python',
    doc: `def check(user):
    if user and █
`,
    reply: `user.is_admin:
        grant(user)
    return user`,
    after: `def check(user):
    if user and user.is_admin:█
`,
    note: 'The statement being typed is the if header; the body is the next suggestion.',
  },
  {
    id: 'py-selection-04',
    class: 'selection',
    language: 'python',
    doc: `value = config.ge█ or default
`,
    reply: 't("timeout")',
    selected: { replace: 'ge', text: 'get' },
    after: `value = config.get("timeout")█ or default
`,
  },
  // Variations: limits
  {
    id: 'py-stops-08',
    class: 'stops',
    language: 'python',
    doc: `def setup():
    █
`,
    reply: `a = load("a")
    b = load("b")
    c = load("c")
    d = load("d")
    e = load("e")
    f = load("f")
    g = load("g")
    h = load("h")
    i = load("i")
    j = load("j")
    k = load("k")
    l = load("l")
    m = load("m")
    n = load("n")`,
    after: `def setup():
    a = load("a")
    b = load("b")
    c = load("c")
    d = load("d")
    e = load("e")
    f = load("f")
    g = load("g")
    h = load("h")
    i = load("i")
    j = load("j")
    k = load("k")
    l = load("l")█
`,
    note: 'At most 12 lines (the default tandem.completions.maxLines); every line is a whole statement, so the cut is at line 12.',
  },
  {
    id: 'py-closers-09',
    class: 'closers',
    language: 'python',
    doc: `label = f"{'é' * 3}: █"
`,
    reply: '{count}"',
    after: `label = f"{'é' * 3}: {count}"█
`,
  },
  {
    id: 'py-closers-10',
    class: 'closers',
    language: 'python',
    doc: `def total(items):
    """█"""
`,
    reply: 'Return the sum of the item prices."""',
    after: `def total(items):
    """Return the sum of the item prices."""█
`,
  },
  {
    id: 'py-stops-09',
    class: 'stops',
    language: 'python',
    doc: `class Api:
    @property
    def url(self):█
`,
    reply: `
        return f"{self.base}/v1"

    @property
    def token(self):
        return self._token`,
    after: `class Api:
    @property
    def url(self):
        return f"{self.base}/v1"█
`,
  },
  {
    id: 'py-indentation-06',
    class: 'indentation',
    language: 'python',
    doc: `def area(w, h):
   if w < 0:
      raise ValueError(w)
   return w * h

def perimeter(w, h):█
`,
    reply: `
    if w < 0:
        raise ValueError(w)
    return 2 * (w + h)`,
    after: `def area(w, h):
   if w < 0:
      raise ValueError(w)
   return w * h

def perimeter(w, h):
   if w < 0:
      raise ValueError(w)
   return 2 * (w + h)█
`,
    note: 'The file steps by 3, consistently: the model\'s 4-space steps become 3.',
  },
  {
    id: 'py-stops-10',
    class: 'stops',
    language: 'python',
    doc: `def find(items, target):
    for item in items:
        █
`,
    reply: `if item == target:
            return item
    else:
        return None`,
    after: `def find(items, target):
    for item in items:
        if item == target:
            return item
    else:
        return None█
`,
    note: 'A for loop\'s "else:" continues the loop statement.',
  },
  {
    id: 'py-stops-11',
    class: 'stops',
    language: 'python',
    doc: `def describe(command):
    match command.split():█
`,
    reply: `
        case ["go", direction]:
            return f"going {direction}"

        case ["quit"]:
            return "bye"

        case _:
            return "unknown"`,
    after: `def describe(command):
    match command.split():
        case ["go", direction]:
            return f"going {direction}"

        case ["quit"]:
            return "bye"

        case _:
            return "unknown"█
`,
  },
  {
    id: 'py-stops-12',
    class: 'stops',
    language: 'python',
    doc: `def answer():
    █
`,
    reply: `"""Return the answer.

    It is always the same.
    """
    return 42`,
    after: `def answer():
    """Return the answer.

    It is always the same.
    """
    return 42█
`,
    note: 'A blank line inside a docstring is not the end of anything.',
  },
  {
    id: 'py-junk-10',
    class: 'junk',
    language: 'python',
    doc: `def count(items):
    total = █
`,
    reply: 'total = len(items)',
    after: `def count(items):
    total = len(items)█
`,
    note: 'The answer echoes the start of the cursor line.',
  },
  {
    id: 'py-selection-05',
    class: 'selection',
    language: 'python',
    doc: `import os

def target(root, name):
    print(os.pa█)
`,
    reply: 'th.join(root, name))',
    selected: { replace: 'pa', text: 'path' },
    after: `import os

def target(root, name):
    print(os.path.join(root, name))█
`,
    note: 'The selected item, then the model closes the auto-inserted ")" itself.',
  },
  {
    id: 'py-selection-06',
    class: 'selection',
    language: 'python',
    doc: `import os

def target(root, name):
    return os.path.jo█
`,
    reply: 'in(root, name)',
    chatReply: fence('python', 'return os.path.join(root, name)'),
    selected: { replace: 'jo', text: 'join' },
    after: `import os

def target(root, name):
    return os.path.join(root, name)█
`,
    note: 'The chat model echoes the whole line, selected item included.',
  },
  {
    id: 'py-whitespace-07',
    class: 'whitespace',
    language: 'python',
    doc: `def main():
    retries = █
`,
    reply: '\u200b 3',
    after: `def main():
    retries = 3█
`,
  },
];
