import type { CorpusCase } from '../format';
import { fence } from './text';

/** JSON and YAML. */
export const DATA_CASES: readonly CorpusCase[] = [
  // 1. closers right of the cursor
  {
    id: 'json-closers-01',
    class: 'closers',
    language: 'json',
    doc: `{
  "name": "█"
  "version": "1.0.0"
}
`,
    reply: 'tandem",',
    after: `{
  "name": "tandem",█
  "version": "1.0.0"
}
`,
    note: 'The model closed the string and added the comma the next key needs.',
  },
  {
    id: 'json-closers-02',
    class: 'closers',
    language: 'json',
    doc: `{
  "files": [█]
}
`,
    reply: '"dist", "media"',
    after: `{
  "files": ["dist", "media"█]
}
`,
  },
  {
    id: 'json-closers-03',
    class: 'closers',
    language: 'json',
    doc: `{
  "name": "app",
  "scripts": {█}
}
`,
    reply: `
    "build": "tsc -p .",
    "test": "mocha"
  }`,
    after: `{
  "name": "app",
  "scripts": {
    "build": "tsc -p .",
    "test": "mocha"
  }█
}
`,
  },
  {
    id: 'yaml-closers-01',
    class: 'closers',
    language: 'yaml',
    doc: `on:
  push:
    branches: [█]
`,
    reply: 'main, "release/**"',
    after: `on:
  push:
    branches: [main, "release/**"█]
`,
  },
  {
    id: 'yaml-closers-02',
    class: 'closers',
    language: 'yaml',
    doc: `jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo "█"
`,
    reply: 'Running tests for ${{ matrix.node }}"',
    after: `jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo "Running tests for \${{ matrix.node }}"█
`,
  },
  // 2. where a multi-line suggestion stops
  {
    id: 'yaml-stops-01',
    class: 'stops',
    language: 'yaml',
    doc: `name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:█
`,
    reply: `
      - uses: actions/checkout@v4

      - uses: actions/setup-node@v4
        with:
          node-version: 20

      - run: npm ci
      - run: npm test`,
    after: `name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4

      - uses: actions/setup-node@v4
        with:
          node-version: 20

      - run: npm ci
      - run: npm test█
`,
    note: 'Blank lines between steps do not end the list.',
  },
  {
    id: 'yaml-stops-02',
    class: 'stops',
    language: 'yaml',
    doc: `services:
  web:
    image: nginx:1.27
    ports:█
`,
    reply: `
      - "8080:80"
    depends_on:
      - api
  api:
    build: ./api`,
    after: `services:
  web:
    image: nginx:1.27
    ports:
      - "8080:80"█
`,
    note: 'The suggestion ends with the block the cursor line opened, not with further keys of the service or further services.',
  },
  {
    id: 'json-stops-01',
    class: 'stops',
    language: 'json',
    doc: `{
  "compilerOptions": {
    "strict": true,
    "paths": {█
  }
}
`,
    reply: `
      "@app/*": ["src/*"],
      "@test/*": ["test/*"]
    }`,
    after: `{
  "compilerOptions": {
    "strict": true,
    "paths": {
      "@app/*": ["src/*"],
      "@test/*": ["test/*"]
    }█
  }
}
`,
  },
  // 3. overlap with the code after the cursor
  {
    id: 'json-overlap-01',
    class: 'overlap',
    language: 'json',
    doc: `{
  "name": "app",
  █
  "license": "MIT"
}
`,
    reply: `"version": "0.1.0",
  "license": "MIT"`,
    after: `{
  "name": "app",
  "version": "0.1.0",█
  "license": "MIT"
}
`,
  },
  {
    id: 'json-overlap-02',
    class: 'overlap',
    language: 'json',
    doc: `{
  "name": "app",
  █
  "license": "MIT"
}
`,
    reply: `"version": "0.1.0",
  "license": "MIT",`,
    after: `{
  "name": "app",
  "version": "0.1.0",█
  "license": "MIT"
}
`,
    note: 'The last line is the next line with a trailing ",".',
  },
  {
    id: 'yaml-overlap-01',
    class: 'overlap',
    language: 'yaml',
    doc: `steps:
  - run: npm ci
  █
  - run: npm test
`,
    reply: `- run: npm run lint
  -  run: npm test`,
    after: `steps:
  - run: npm ci
  - run: npm run lint█
  - run: npm test
`,
    note: 'Differs from the next line only in whitespace.',
  },
  {
    id: 'yaml-overlap-02',
    class: 'overlap',
    language: 'yaml',
    doc: `steps:
  - run: npm ci
  █
  - run: npm test
`,
    reply: '- run: npm test',
    after: null,
  },
  // 4. repetition
  {
    id: 'yaml-repetition-01',
    class: 'repetition',
    language: 'yaml',
    doc: `dependencies:
  - numpy
  █
`,
    reply: `- pandas
  - pandas
  - pandas
  - pandas
  - pandas
  - pandas`,
    after: `dependencies:
  - numpy
  - pandas█
`,
  },
  {
    id: 'yaml-repetition-02',
    class: 'repetition',
    language: 'yaml',
    doc: `matrix:
  node:
    █
`,
    reply: `- 18
    - 20
    - 22`,
    after: `matrix:
  node:
    - 18
    - 20
    - 22█
`,
  },
  {
    id: 'json-repetition-01',
    class: 'repetition',
    language: 'json',
    doc: `{
  "recommendations": [
    "dbaeumer.vscode-eslint",
    █
    "ms-python.python"
  ]
}
`,
    reply: `"esbenp.prettier-vscode",
    "esbenp.prettier-vscode",
    "esbenp.prettier-vscode",
    "esbenp.prettier-vscode",
    "esbenp.prettier-vscode",`,
    finishReason: 'length',
    after: `{
  "recommendations": [
    "dbaeumer.vscode-eslint",
    "esbenp.prettier-vscode",█
    "ms-python.python"
  ]
}
`,
  },
  // 5. junk from the model
  {
    id: 'json-junk-01',
    class: 'junk',
    language: 'json',
    doc: `{
  █
}
`,
    reply: fence('json', '"extends": "./tsconfig.base.json"'),
    templates: ['fim'],
    after: `{
  "extends": "./tsconfig.base.json"█
}
`,
  },
  {
    id: 'yaml-junk-01',
    class: 'junk',
    language: 'yaml',
    doc: `█
services:
  web:
    image: nginx
`,
    reply: `# Path: docker-compose.yml
version: "3.9"`,
    after: `version: "3.9"█
services:
  web:
    image: nginx
`,
  },
  {
    id: 'yaml-junk-02',
    class: 'junk',
    language: 'yaml',
    doc: `steps:
  - run: npm ci
  █
`,
    reply: '- run: npm test<|endoftext|><|fim_prefix|>',
    chatReply: '<COMPLETION>- run: npm test</COMPLETION>',
    after: `steps:
  - run: npm ci
  - run: npm test█
`,
  },
  {
    id: 'yaml-junk-03',
    class: 'junk',
    language: 'yaml',
    doc: `env:
  █
`,
    reply: '#',
    after: null,
  },
  // 6. whitespace at the cursor
  {
    id: 'json-whitespace-01',
    class: 'whitespace',
    language: 'json',
    doc: `{
  "port": █
}
`,
    reply: ' 8080',
    after: `{
  "port": 8080█
}
`,
  },
  {
    id: 'yaml-whitespace-01',
    class: 'whitespace',
    language: 'yaml',
    doc: `name: █
`,
    reply: '  ci',
    after: `name: ci█
`,
  },
  {
    id: 'yaml-whitespace-02',
    class: 'whitespace',
    language: 'yaml',
    doc: `jobs:
  build:
    █
`,
    reply: `
    runs-on: ubuntu-latest`,
    after: `jobs:
  build:
    runs-on: ubuntu-latest█
`,
  },
  // 7. indentation
  {
    id: 'yaml-indentation-01',
    class: 'indentation',
    language: 'yaml',
    doc: `jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
  test:
    runs-on: ubuntu-latest
    steps:█
`,
    reply: `
        - uses: actions/checkout@v4
        - run: npm test`,
    after: `jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm test█
`,
    note: 'The file steps by 2; the model stepped by 4 from the cursor line.',
  },
  {
    id: 'json-indentation-01',
    class: 'indentation',
    language: 'json',
    doc: `{█`,
    reply: `
    "name": "app",
    "private": true
}`,
    formatting: { tabSize: 2, insertSpaces: true },
    after: `{
  "name": "app",
  "private": true
}█`,
  },
  {
    id: 'json-indentation-02',
    class: 'indentation',
    language: 'json',
    doc: `{█`,
    reply: `
  "name": "app",
  "private": true
}`,
    after: `{
  "name": "app",
  "private": true
}█`,
    note: 'No indented line and no editor options: keep the model\'s steps.',
  },
  // 8. completing a partly typed line
  {
    id: 'yaml-partial-01',
    class: 'partial',
    language: 'yaml',
    doc: `steps:
  - run: npm ci && █
`,
    reply: `npm test
  - run: npm run build`,
    after: `steps:
  - run: npm ci && npm test█
`,
  },
  {
    id: 'json-partial-01',
    class: 'partial',
    language: 'json',
    doc: `{
  "main": █
  "license": "MIT"
}
`,
    reply: `"dist/index.js",
  "types": "dist/index.d.ts",`,
    after: `{
  "main": "dist/index.js",█
  "license": "MIT"
}
`,
    note: 'Only the current member, with the comma the model wrote (the next member needs it).',
  },
  // Variations
  {
    id: 'json-closers-04',
    class: 'closers',
    language: 'json',
    doc: `{
  "exclude": ["█"]
}
`,
    reply: 'node_modules", "dist"]',
    after: `{
  "exclude": ["node_modules", "dist"]█
}
`,
  },
  {
    id: 'yaml-stops-03',
    class: 'stops',
    language: 'yaml',
    doc: `jobs:
  test:
    steps:
      - run: npm test
  █
`,
    reply: `deploy:
    needs: test
    steps:
      - run: ./deploy.sh

  notify:
    steps:
      - run: ./notify.sh`,
    after: `jobs:
  test:
    steps:
      - run: npm test
  deploy:
    needs: test
    steps:
      - run: ./deploy.sh█
`,
    note: 'One job, not the next one after the blank line.',
  },
  {
    id: 'yaml-overlap-03',
    class: 'overlap',
    language: 'yaml',
    doc: `server:
  port: 8080
  █
  timeout: 30
`,
    reply: `host: 0.0.0.0
  timeout: 30  `,
    after: `server:
  port: 8080
  host: 0.0.0.0█
  timeout: 30
`,
  },
  {
    id: 'json-junk-02',
    class: 'junk',
    language: 'json',
    doc: `{
  "name": "app",
  █
}
`,
    reply: `// Path: package.json
"private": true`,
    after: `{
  "name": "app",
  "private": true█
}
`,
  },
  {
    id: 'yaml-whitespace-03',
    class: 'whitespace',
    language: 'yaml',
    doc: `services:
  web:
  █
`,
    reply: '  image: nginx',
    after: `services:
  web:
    image: nginx█
`,
    note: 'The cursor is short of the block\'s column: the leading spaces are needed.',
  },
  {
    id: 'yaml-indentation-02',
    class: 'indentation',
    language: 'yaml',
    doc: `root:█`,
    reply: `
    child:
        leaf: 1`,
    formatting: { tabSize: 2, insertSpaces: true },
    after: `root:
  child:
    leaf: 1█`,
  },
  {
    id: 'yaml-repetition-03',
    class: 'repetition',
    language: 'yaml',
    doc: `env:
  NODE_ENV: production
  █
`,
    reply: `LOG_LEVEL: info
  LOG_LEVEL: info
  LOG_LEVEL: info
  LOG_LEVEL: info`,
    finishReason: 'length',
    after: `env:
  NODE_ENV: production
  LOG_LEVEL: info█
`,
  },
  {
    id: 'yaml-stops-04',
    class: 'stops',
    language: 'yaml',
    doc: `steps:
  - name: test
    run: |█
`,
    reply: `
      npm ci
      npm test
  - name: deploy
    run: ./deploy.sh`,
    after: `steps:
  - name: test
    run: |
      npm ci
      npm test█
`,
    note: 'The block scalar ends where its indentation ends; the next step is another item.',
  },
  {
    id: 'yaml-stops-05',
    class: 'stops',
    language: 'yaml',
    doc: `steps:
  - █
`,
    reply: `name: build
    run: make
    env:
      CC: clang`,
    after: `steps:
  - name: build
    run: make
    env:
      CC: clang█
`,
    note: 'The keys of a list item sit two columns right of its "-": one item, not a dedent.',
  },
  {
    id: 'json-overlap-03',
    class: 'overlap',
    language: 'json',
    doc: `{
  "files": [
    "dist",
    █
  ]
}
`,
    reply: `"media"
  ]`,
    after: `{
  "files": [
    "dist",
    "media"█
  ]
}
`,
  },
  {
    id: 'json-whitespace-02',
    class: 'whitespace',
    language: 'json',
    doc: `{
  "name": "app",
  █
}
`,
    reply: '\t"private": true',
    after: `{
  "name": "app",
  "private": true█
}
`,
  },
  {
    id: 'yaml-partial-02',
    class: 'partial',
    language: 'yaml',
    doc: `services:
  web:
    image: node:█
`,
    reply: `20-alpine
    ports:
      - "3000:3000"`,
    after: `services:
  web:
    image: node:20-alpine█
`,
  },
  {
    id: 'yaml-junk-04',
    class: 'junk',
    language: 'yaml',
    doc: `services:
  web:
    █
`,
    reply: 'image: nginx',
    chatReply: fence('yaml', '# docker-compose.yml\nimage: nginx'),
    after: `services:
  web:
    image: nginx█
`,
    note: 'The chat model put the file name in a comment line first.',
  },
];
