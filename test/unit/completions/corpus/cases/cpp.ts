import type { CorpusCase } from '../format';
import { fence } from './text';

/** C and C++. */
export const CPP_CASES: readonly CorpusCase[] = [
  // 1. closers right of the cursor
  {
    id: 'cpp-closers-01',
    class: 'closers',
    language: 'c',
    doc: `int main(void) {
    printf(█);
    return 0;
}
`,
    reply: '"%d\\n", count',
    after: `int main(void) {
    printf("%d\\n", count█);
    return 0;
}
`,
  },
  {
    id: 'cpp-closers-02',
    class: 'closers',
    language: 'c',
    doc: `int main(void) {
    FILE *f = fopen(█)
    return 0;
}
`,
    reply: 'path, "r");',
    after: `int main(void) {
    FILE *f = fopen(path, "r");█
    return 0;
}
`,
  },
  {
    id: 'cpp-closers-03',
    class: 'closers',
    language: 'cpp',
    doc: `void sortByAge(std::vector<Person>& people) {
    std::sort(people.begin(), people.end(), [](█));
}
`,
    reply: 'const Person& a, const Person& b) { return a.age < b.age; });',
    after: `void sortByAge(std::vector<Person>& people) {
    std::sort(people.begin(), people.end(), [](const Person& a, const Person& b) { return a.age < b.age; });█
}
`,
    note: 'The whole lambda, not only its parameter list; the auto-inserted ");" is not doubled.',
  },
  {
    id: 'cpp-closers-04',
    class: 'closers',
    language: 'cpp',
    doc: `int main() {
    std::vector<int> primes = {█};
}
`,
    reply: '2, 3, 5, 7, 11',
    after: `int main() {
    std::vector<int> primes = {2, 3, 5, 7, 11█};
}
`,
  },
  {
    id: 'cpp-closers-05',
    class: 'closers',
    language: 'cpp',
    doc: `int main() {
    std::cout << "Hello, █" << std::endl;
}
`,
    reply: 'world!" << std::endl;',
    after: `int main() {
    std::cout << "Hello, world!█" << std::endl;
}
`,
    note: 'The rest of the line is already what the model wrote after the string.',
  },
  // 2. where a multi-line suggestion stops
  {
    id: 'cpp-stops-01',
    class: 'stops',
    language: 'c',
    doc: `int compare(int a, int b) {
    if (a < b) {
        █
    }
}
`,
    reply: `return -1;
    } else if (a > b) {
        return 1;
    } else {
        return 0;`,
    after: `int compare(int a, int b) {
    if (a < b) {
        return -1;
    } else if (a > b) {
        return 1;
    } else {
        return 0;█
    }
}
`,
  },
  {
    id: 'cpp-stops-02',
    class: 'stops',
    language: 'cpp',
    doc: `#include <fstream>
#include <string>

std::string readAll(const std::string& path) {█`,
    reply: `
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot open " + path);
    }

    return std::string(std::istreambuf_iterator<char>(in), {});
}`,
    after: `#include <fstream>
#include <string>

std::string readAll(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot open " + path);
    }

    return std::string(std::istreambuf_iterator<char>(in), {});
}█`,
  },
  {
    id: 'cpp-stops-03',
    class: 'stops',
    language: 'cpp',
    doc: `int parsePort(const std::string& s) {
    try {
        █
    }
}
`,
    reply: `return std::stoi(s);
    } catch (const std::invalid_argument&) {
        return -1;`,
    after: `int parsePort(const std::string& s) {
    try {
        return std::stoi(s);
    } catch (const std::invalid_argument&) {
        return -1;█
    }
}
`,
  },
  {
    id: 'cpp-stops-04',
    class: 'stops',
    language: 'c',
    doc: `const char *name(int code) {
    switch (code) {█
}
`,
    reply: `
    case 0:
        return "ok";

    case 1:
        return "warning";

    default:
        return "error";
    }`,
    after: `const char *name(int code) {
    switch (code) {
    case 0:
        return "ok";

    case 1:
        return "warning";

    default:
        return "error";
    }█
}
`,
  },
  {
    id: 'cpp-stops-05',
    class: 'stops',
    language: 'c',
    doc: `int square(int x) {█
`,
    reply: `
    return x * x;
}

int cube(int x) {
    return x * x * x;
}`,
    after: `int square(int x) {
    return x * x;
}█
`,
  },
  // 3. overlap with the code after the cursor
  {
    id: 'cpp-overlap-01',
    class: 'overlap',
    language: 'c',
    doc: `void *xmalloc(size_t n) {
    void *p = malloc(n);
    █
    return p;
}
`,
    reply: `if (!p) abort();
    return p;`,
    after: `void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) abort();█
    return p;
}
`,
  },
  {
    id: 'cpp-overlap-02',
    class: 'overlap',
    language: 'cpp',
    doc: `int main() {
    auto config = load();
    █
    run(config);
}
`,
    reply: `validate(config);
    run(config)`,
    after: `int main() {
    auto config = load();
    validate(config);█
    run(config);
}
`,
  },
  {
    id: 'cpp-overlap-03',
    class: 'overlap',
    language: 'cpp',
    doc: `struct Config {
    int port = 8080;
    █
};
`,
    reply: `std::string host = "localhost";
};`,
    after: `struct Config {
    int port = 8080;
    std::string host = "localhost";█
};
`,
  },
  {
    id: 'cpp-overlap-04',
    class: 'overlap',
    language: 'cpp',
    doc: `class List {
public:
    void push(int v) {
        if (size == cap) {█
    }
};
`,
    reply: `
            grow();
        }
        data[size++] = v;`,
    after: `class List {
public:
    void push(int v) {
        if (size == cap) {
            grow();
        }█
    }
};
`,
    note: 'The "}" below closes push(), not the if: the if keeps its closer; the suggestion ends with the block its line opened.',
  },
  {
    id: 'cpp-overlap-05',
    class: 'overlap',
    language: 'c',
    doc: `int main(void) {
    int n = atoi(argv[1]);
    █
    return 0;
}
`,
    reply: 'return 0;',
    after: null,
  },
  // 4. repetition
  {
    id: 'cpp-repetition-01',
    class: 'repetition',
    language: 'c',
    doc: `void cleanup(void) {
    █
}
`,
    reply: `free(buffer);
    free(buffer);
    free(buffer);
    free(buffer);
    free(buffer);`,
    after: `void cleanup(void) {
    free(buffer);█
}
`,
  },
  {
    id: 'cpp-repetition-02',
    class: 'repetition',
    language: 'cpp',
    doc: `enum class Color {
    █
};
`,
    reply: `Red,
    Green,
    Blue,`,
    after: `enum class Color {
    Red,
    Green,
    Blue,█
};
`,
  },
  {
    id: 'cpp-repetition-03',
    class: 'repetition',
    language: 'cpp',
    doc: `void Widget::paint() {
    █
}
`,
    reply: `painter.save();
    painter.drawRect(bounds);
    painter.restore();
    painter.save();
    painter.drawRect(bounds);
    painter.restore();
    painter.save();
    painter.drawRect(bounds);`,
    finishReason: 'length',
    after: `void Widget::paint() {
    painter.save();
    painter.drawRect(bounds);
    painter.restore();█
}
`,
  },
  // 5. junk from the model
  {
    id: 'cpp-junk-01',
    class: 'junk',
    language: 'cpp',
    doc: `bool isEven(int n) {
    █
}
`,
    reply: fence('cpp', 'return n % 2 == 0;'),
    templates: ['fim'],
    after: `bool isEven(int n) {
    return n % 2 == 0;█
}
`,
  },
  {
    id: 'cpp-junk-02',
    class: 'junk',
    language: 'cpp',
    doc: `█
int main() {}
`,
    reply: `// Path: src/main.cpp
#include <iostream>`,
    after: `#include <iostream>█
int main() {}
`,
  },
  {
    id: 'cpp-junk-03',
    class: 'junk',
    language: 'c',
    doc: `int twice(int x) {
    return █
}
`,
    reply: 'x * 2;<|fim_suf',
    chatReply: '<COMPLETION>x * 2;',
    after: `int twice(int x) {
    return x * 2;█
}
`,
    note: 'A template token cut in the middle is still junk.',
  },
  {
    id: 'cpp-junk-04',
    class: 'junk',
    language: 'c',
    doc: `int main(void) {
    █
}
`,
    reply: '//',
    after: null,
  },
  {
    id: 'cpp-junk-05',
    class: 'junk',
    language: 'cpp',
    doc: `int size(const std::vector<int>& v) {
    return v█
}
`,
    reply: '.size();',
    after: `int size(const std::vector<int>& v) {
    return v.size();█
}
`,
  },
  {
    id: 'cpp-junk-06',
    class: 'junk',
    language: 'c',
    doc: `int next(int i) {
    return i █
}
`,
    reply: '+ 1;',
    after: `int next(int i) {
    return i + 1;█
}
`,
  },
  // 6. whitespace at the cursor
  {
    id: 'cpp-whitespace-01',
    class: 'whitespace',
    language: 'c',
    doc: `int main(void) {
    int limit = █
}
`,
    reply: ' 64;',
    after: `int main(void) {
    int limit = 64;█
}
`,
  },
  {
    id: 'cpp-whitespace-02',
    class: 'whitespace',
    language: 'cpp',
    doc: `bool empty(const std::string& s) {
    if (s.size() == 0) {
        █
    }
    return false;
}
`,
    reply: `
        return true;`,
    after: `bool empty(const std::string& s) {
    if (s.size() == 0) {
        return true;█
    }
    return false;
}
`,
  },
  {
    id: 'cpp-whitespace-03',
    class: 'whitespace',
    language: 'cpp',
    doc: `int area(int w, int h) {
    return █
}
`,
    reply: '\t w * h;',
    after: `int area(int w, int h) {
    return w * h;█
}
`,
  },
  {
    id: 'cpp-whitespace-04',
    class: 'whitespace',
    language: 'cpp',
    doc: `int area(int w, int h) {
    █
}
`,
    reply: '    return w * h;',
    after: `int area(int w, int h) {
    return w * h;█
}
`,
  },
  // 7. indentation
  {
    id: 'cpp-indentation-01',
    class: 'indentation',
    language: 'c',
    doc: `#include <stdio.h>

int main(void) {█`,
    reply: `
  for (int i = 0; i < 3; i++) {
    printf("%d\\n", i);
  }
  return 0;
}`,
    after: `#include <stdio.h>

int main(void) {
  for (int i = 0; i < 3; i++) {
    printf("%d\\n", i);
  }
  return 0;
}█`,
    note: 'No indented line and no editor options: keep the model\'s steps.',
  },
  {
    id: 'cpp-indentation-02',
    class: 'indentation',
    language: 'cpp',
    doc: `#include <vector>

int sum(const std::vector<int>& v) {█`,
    reply: `
  int total = 0;
  for (int x : v) {
    total += x;
  }
  return total;
}`,
    formatting: { tabSize: 4, insertSpaces: true },
    after: `#include <vector>

int sum(const std::vector<int>& v) {
    int total = 0;
    for (int x : v) {
        total += x;
    }
    return total;
}█`,
  },
  {
    id: 'cpp-indentation-03',
    class: 'indentation',
    language: 'c',
    doc: `static int count(const char *s) {
\tint n = 0;
\twhile (*s) {█
}
`,
    reply: `
        if (*s++ == ' ')
            n++;
    }`,
    after: `static int count(const char *s) {
\tint n = 0;
\twhile (*s) {
\t\tif (*s++ == ' ')
\t\t\tn++;
\t}█
}
`,
    note: 'A tab-indented file: the model\'s 4-space steps become tabs.',
  },
  // 8. completing a partly typed line
  {
    id: 'cpp-partial-01',
    class: 'partial',
    language: 'cpp',
    doc: `int total(const std::vector<int>& v) {
    int sum = std::accumulate(v.begin(), █
}
`,
    reply: `v.end(), 0);
    std::cout << sum << std::endl;
    return sum;`,
    after: `int total(const std::vector<int>& v) {
    int sum = std::accumulate(v.begin(), v.end(), 0);█
}
`,
  },
  {
    id: 'cpp-partial-02',
    class: 'partial',
    language: 'c',
    doc: `size_t len(const char *s) {
    size_t n = strlen(s)█
}
`,
    reply: `;
    return n;`,
    after: `size_t len(const char *s) {
    size_t n = strlen(s);█
}
`,
  },
  {
    id: 'cpp-partial-03',
    class: 'partial',
    language: 'cpp',
    doc: `void print(const std::vector<int>& v) {
    for (int x : v) {█
}
`,
    reply: `
        std::cout << x << ' ';
    }
    std::cout << std::endl;`,
    after: `void print(const std::vector<int>& v) {
    for (int x : v) {
        std::cout << x << ' ';
    }█
}
`,
    note: 'The line opens a block: the suggestion ends with that block.',
  },
  // 9. suggest-widget selection
  {
    id: 'cpp-selection-01',
    class: 'selection',
    language: 'cpp',
    doc: `void add(std::vector<int>& v, int x) {
    v.push█
}
`,
    reply: '_back(x);',
    selected: { replace: 'push', text: 'push_back' },
    after: `void add(std::vector<int>& v, int x) {
    v.push_back(x);█
}
`,
  },
  {
    id: 'cpp-selection-02',
    class: 'selection',
    language: 'cpp',
    doc: `void add(std::vector<int>& v, int x) {
    v.█
}
`,
    reply: 'push_back(x);',
    selected: { replace: '', text: 'emplace_back' },
    after: null,
  },
  {
    id: 'cpp-selection-03',
    class: 'selection',
    language: 'c',
    doc: `int same(const char *a, const char *b) {
    return str█
}
`,
    reply: 'cmp(a, b) == 0;',
    selected: { replace: 'str', text: 'strcmp' },
    after: `int same(const char *a, const char *b) {
    return strcmp(a, b) == 0;█
}
`,
  },
  // Variations
  {
    id: 'cpp-closers-06',
    class: 'closers',
    language: 'cpp',
    doc: `int main() {
    auto it = std::find(v.begin(), v.end(), █);
}
`,
    reply: 'target);',
    after: `int main() {
    auto it = std::find(v.begin(), v.end(), target);█
}
`,
  },
  {
    id: 'cpp-stops-06',
    class: 'stops',
    language: 'c',
    doc: `int read_all(int fd) {
    int n;
    do {█
}
`,
    reply: `
        n = read(fd, buf, sizeof buf);
    } while (n > 0);
    return n;`,
    after: `int read_all(int fd) {
    int n;
    do {
        n = read(fd, buf, sizeof buf);
    } while (n > 0);█
}
`,
  },
  {
    id: 'cpp-overlap-06',
    class: 'overlap',
    language: 'c',
    doc: `int sum(const int *xs, int n) {
    int total = 0;
    for (int i = 0; █; i++) {
        total += xs[i];
    }
    return total;
}
`,
    reply: 'i < n; i++) {',
    after: `int sum(const int *xs, int n) {
    int total = 0;
    for (int i = 0; i < n█; i++) {
        total += xs[i];
    }
    return total;
}
`,
  },
  {
    id: 'cpp-repetition-04',
    class: 'repetition',
    language: 'cpp',
    doc: `void Widget::init() {
    █
}
`,
    reply: `layout->addWidget(title);
    layout->addWidget(body);
    layout->addWidget(body);
    layout->addWidget(body);
    layout->addWidget(body);`,
    after: `void Widget::init() {
    layout->addWidget(title);
    layout->addWidget(body);█
}
`,
  },
  {
    id: 'cpp-junk-07',
    class: 'junk',
    language: 'cpp',
    doc: `int main() {
    █
}
`,
    reply: 'std::cout << "ok";',
    chatReply: 'Sure! Here is the line:\n' + fence('cpp', 'std::cout << "ok";'),
    after: `int main() {
    std::cout << "ok";█
}
`,
  },
  {
    id: 'cpp-whitespace-05',
    class: 'whitespace',
    language: 'c',
    doc: `int main(void) {
    return█
}
`,
    reply: ' 0;',
    after: `int main(void) {
    return 0;█
}
`,
  },
  {
    id: 'cpp-indentation-04',
    class: 'indentation',
    language: 'cpp',
    doc: `namespace app {

int run() {█

}  // namespace app
`,
    reply: `
  return 0;
}`,
    formatting: { tabSize: 2, insertSpaces: true },
    after: `namespace app {

int run() {
  return 0;
}█

}  // namespace app
`,
    note: 'The editor says 2 spaces and the model uses 2: nothing to change.',
  },
  {
    id: 'cpp-partial-04',
    class: 'partial',
    language: 'cpp',
    doc: `int main() {
    std::string name = argv[1]█
}
`,
    reply: `;
    std::cout << name;`,
    after: `int main() {
    std::string name = argv[1];█
}
`,
  },
];
