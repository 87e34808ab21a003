import type { CorpusCase } from '../format';
import { fence } from './text';

export const PHP_CASES: readonly CorpusCase[] = [
  // 1. closers right of the cursor
  {
    id: 'php-closers-01',
    class: 'closers',
    language: 'php',
    doc: `<?php
function report(int $total): void {
    echo sprintf(█);
}
`,
    reply: '"Total: %d\\n", $total',
    after: `<?php
function report(int $total): void {
    echo sprintf("Total: %d\\n", $total█);
}
`,
  },
  {
    id: 'php-closers-02',
    class: 'closers',
    language: 'php',
    doc: `<?php
function names(array $users): array {
    return array_map(█)
}
`,
    reply: 'fn($u) => $u->name, $users);',
    after: `<?php
function names(array $users): array {
    return array_map(fn($u) => $u->name, $users);█
}
`,
  },
  {
    id: 'php-closers-03',
    class: 'closers',
    language: 'php',
    doc: `<?php
$config = require __DIR__ . '/█';
`,
    reply: "config/app.php';",
    after: `<?php
$config = require __DIR__ . '/config/app.php';█
`,
  },
  {
    id: 'php-closers-04',
    class: 'closers',
    language: 'php',
    doc: `<?php
$defaults = [█];
`,
    reply: `
    'host' => 'localhost',
    'port' => 8080,
];`,
    after: `<?php
$defaults = [
    'host' => 'localhost',
    'port' => 8080,
];█
`,
  },
  {
    id: 'php-closers-05',
    class: 'closers',
    language: 'php',
    doc: `<?php
class Geometry {
    public function area(█)
}
`,
    reply: 'float $w, float $h): float',
    after: `<?php
class Geometry {
    public function area(float $w, float $h): float█
}
`,
  },
  // 2. where a multi-line suggestion stops
  {
    id: 'php-stops-01',
    class: 'stops',
    language: 'php',
    doc: `<?php
function sign(int $n): string {
    if ($n > 0) {
        █
    }
}
`,
    reply: `return 'positive';
    } elseif ($n < 0) {
        return 'negative';
    } else {
        return 'zero';`,
    after: `<?php
function sign(int $n): string {
    if ($n > 0) {
        return 'positive';
    } elseif ($n < 0) {
        return 'negative';
    } else {
        return 'zero';█
    }
}
`,
  },
  {
    id: 'php-stops-02',
    class: 'stops',
    language: 'php',
    doc: `<?php
function readConfig(string $path): array {
    try {
        █
    }
}
`,
    reply: `return json_decode(file_get_contents($path), true, 512, JSON_THROW_ON_ERROR);
    } catch (JsonException $e) {
        return [];`,
    after: `<?php
function readConfig(string $path): array {
    try {
        return json_decode(file_get_contents($path), true, 512, JSON_THROW_ON_ERROR);
    } catch (JsonException $e) {
        return [];█
    }
}
`,
  },
  {
    id: 'php-stops-03',
    class: 'stops',
    language: 'php',
    doc: `<?php
class Users {
    public function find(int $id): User {█
}
`,
    reply: `
        $user = $this->repository->find($id);

        if ($user === null) {
            throw new NotFoundException($id);
        }
        return $user;
    }`,
    after: `<?php
class Users {
    public function find(int $id): User {
        $user = $this->repository->find($id);

        if ($user === null) {
            throw new NotFoundException($id);
        }
        return $user;
    }█
}
`,
  },
  {
    id: 'php-stops-04',
    class: 'stops',
    language: 'php',
    doc: `<?php
function square(int $x): int {█
`,
    reply: `
    return $x * $x;
}

function cube(int $x): int {
    return $x * $x * $x;
}`,
    after: `<?php
function square(int $x): int {
    return $x * $x;
}█
`,
  },
  {
    id: 'php-stops-05',
    class: 'stops',
    language: 'php',
    doc: `<?php
function grade(int $score): string {
    if ($score >= 90) {
        █
    }
    return 'C';
}
`,
    reply: `return 'A';
    } elseif ($score >= 80) {
        return`,
    finishReason: 'length',
    after: `<?php
function grade(int $score): string {
    if ($score >= 90) {
        return 'A';█
    }
    return 'C';
}
`,
  },
  // 3. overlap with the code after the cursor
  {
    id: 'php-overlap-01',
    class: 'overlap',
    language: 'php',
    doc: `<?php
function area(float $w, float $h): float {
    █
    return $w * $h;
}
`,
    reply: `if ($w < 0 || $h < 0) {
        throw new InvalidArgumentException('negative size');
    }
    return $w * $h;`,
    after: `<?php
function area(float $w, float $h): float {
    if ($w < 0 || $h < 0) {
        throw new InvalidArgumentException('negative size');
    }█
    return $w * $h;
}
`,
  },
  {
    id: 'php-overlap-02',
    class: 'overlap',
    language: 'php',
    doc: `<?php
function total(array $prices): float {
    $sum = 0;
    █
    return $sum;
}
`,
    reply: `foreach ($prices as $p) {
        $sum += $p;
    }
    return $sum`,
    after: `<?php
function total(array $prices): float {
    $sum = 0;
    foreach ($prices as $p) {
        $sum += $p;
    }█
    return $sum;
}
`,
  },
  {
    id: 'php-overlap-03',
    class: 'overlap',
    language: 'php',
    doc: `<?php
$config = load();
█
run($config);
`,
    reply: 'run($config);',
    after: null,
  },
  {
    id: 'php-overlap-04',
    class: 'overlap',
    language: 'php',
    doc: `<?php
class Tree {
    public function depth(?Node $n): int {
        if ($n === null) {█
    }
}
`,
    reply: `
            return 0;
        }`,
    after: `<?php
class Tree {
    public function depth(?Node $n): int {
        if ($n === null) {
            return 0;
        }█
    }
}
`,
  },
  {
    id: 'php-overlap-05',
    class: 'overlap',
    language: 'php',
    doc: `<?php
$response = $client->get(█, $headers);
`,
    reply: '$url, $headers);',
    after: `<?php
$response = $client->get($url█, $headers);
`,
  },
  // 4. repetition
  {
    id: 'php-repetition-01',
    class: 'repetition',
    language: 'php',
    doc: `<?php
function boot(Container $c): void {
    █
}
`,
    reply: `$c->register(new LogProvider());
    $c->register(new LogProvider());
    $c->register(new LogProvider());
    $c->register(new LogProvider());
    $c->register(new LogProvider());`,
    after: `<?php
function boot(Container $c): void {
    $c->register(new LogProvider());█
}
`,
  },
  {
    id: 'php-repetition-02',
    class: 'repetition',
    language: 'php',
    doc: `<?php
$routes = [
    █
];
`,
    reply: `'/' => 'home',
    '/about' => 'about',
    '/contact' => 'contact',`,
    after: `<?php
$routes = [
    '/' => 'home',
    '/about' => 'about',
    '/contact' => 'contact',█
];
`,
  },
  {
    id: 'php-repetition-03',
    class: 'repetition',
    language: 'php',
    doc: `<?php
function poll(): void {
    █
}
`,
    reply: `usleep(100000);
    refresh();
    usleep(100000);
    refresh();
    usleep(100000);
    refresh();
    usleep(100000);`,
    finishReason: 'length',
    after: `<?php
function poll(): void {
    usleep(100000);
    refresh();█
}
`,
  },
  // 5. junk from the model
  {
    id: 'php-junk-01',
    class: 'junk',
    language: 'php',
    doc: `<?php
function isBlank(?string $s): bool {
    █
}
`,
    reply: fence('php', "return $s === null || trim($s) === '';"),
    templates: ['fim'],
    after: `<?php
function isBlank(?string $s): bool {
    return $s === null || trim($s) === '';█
}
`,
  },
  {
    id: 'php-junk-02',
    class: 'junk',
    language: 'php',
    doc: `<?php
namespace App;

█
`,
    reply: `// Path: src/App/Kernel.php
use App\\Http\\Request;`,
    after: `<?php
namespace App;

use App\\Http\\Request;█
`,
  },
  {
    id: 'php-junk-03',
    class: 'junk',
    language: 'php',
    doc: `<?php
function twice(int $x): int {
    return █
}
`,
    reply: '$x * 2;<|fim_middle|>',
    chatReply: '<COMPLETION>$x * 2;</COMPLETION>',
    after: `<?php
function twice(int $x): int {
    return $x * 2;█
}
`,
  },
  {
    id: 'php-junk-04',
    class: 'junk',
    language: 'php',
    doc: `<?php
function main(): void {
    █
}
`,
    reply: '//',
    after: null,
  },
  {
    id: 'php-junk-05',
    class: 'junk',
    language: 'php',
    doc: `<?php
$greeting = 'Hello, ' █
`,
    reply: ". $name;",
    after: `<?php
$greeting = 'Hello, ' . $name;█
`,
    note: 'A leading "." is string concatenation here, not a stray character.',
  },
  {
    id: 'php-junk-06',
    class: 'junk',
    language: 'php',
    doc: `<?php
function main(): void {
    █
}
`,
    reply: "echo 'ready';",
    chatReply: "+    echo 'ready';",
    after: `<?php
function main(): void {
    echo 'ready';█
}
`,
  },
  // 6. whitespace at the cursor
  {
    id: 'php-whitespace-01',
    class: 'whitespace',
    language: 'php',
    doc: `<?php
$retries = █
`,
    reply: ' 3;',
    after: `<?php
$retries = 3;█
`,
  },
  {
    id: 'php-whitespace-02',
    class: 'whitespace',
    language: 'php',
    doc: `<?php
function check($value): void {
    if ($value === null) {
        █
    }
}
`,
    reply: `
        throw new InvalidArgumentException('value is required');`,
    after: `<?php
function check($value): void {
    if ($value === null) {
        throw new InvalidArgumentException('value is required');█
    }
}
`,
  },
  {
    id: 'php-whitespace-03',
    class: 'whitespace',
    language: 'php',
    doc: `<?php
function name(User $user): string {
    return █
}
`,
    reply: '  $user->firstName;',
    after: `<?php
function name(User $user): string {
    return $user->firstName;█
}
`,
  },
  {
    id: 'php-whitespace-04',
    class: 'whitespace',
    language: 'php',
    doc: `<?php
function name(User $user): string {
    █
}
`,
    reply: '    return $user->firstName;',
    after: `<?php
function name(User $user): string {
    return $user->firstName;█
}
`,
  },
  // 7. indentation
  {
    id: 'php-indentation-01',
    class: 'indentation',
    language: 'php',
    doc: `<?php

function main(): void {█`,
    reply: `
  foreach ([1, 2, 3] as $i) {
    echo $i;
  }
}`,
    after: `<?php

function main(): void {
  foreach ([1, 2, 3] as $i) {
    echo $i;
  }
}█`,
    note: 'No indented line and no editor options: keep the model\'s steps.',
  },
  {
    id: 'php-indentation-02',
    class: 'indentation',
    language: 'php',
    doc: `<?php

function main(): void {█`,
    reply: `
  foreach ([1, 2, 3] as $i) {
    echo $i;
  }
}`,
    formatting: { tabSize: 4, insertSpaces: true },
    after: `<?php

function main(): void {
    foreach ([1, 2, 3] as $i) {
        echo $i;
    }
}█`,
  },
  {
    id: 'php-indentation-03',
    class: 'indentation',
    language: 'php',
    doc: `<?php
class Repo {
\tpublic function all(): array {
\t\treturn $this->rows;
\t}

\tpublic function first(): ?array {█
}
`,
    reply: `
        return $this->rows[0] ?? null;
    }`,
    after: `<?php
class Repo {
\tpublic function all(): array {
\t\treturn $this->rows;
\t}

\tpublic function first(): ?array {
\t\treturn $this->rows[0] ?? null;
\t}█
}
`,
    note: 'A tab-indented file: the model\'s spaces become tabs.',
  },
  // 8. completing a partly typed line
  {
    id: 'php-partial-01',
    class: 'partial',
    language: 'php',
    doc: `<?php
function names(array $users): array {
    $names = array_column($users, █
}
`,
    reply: `'name');
    sort($names);
    return $names;`,
    after: `<?php
function names(array $users): array {
    $names = array_column($users, 'name');█
}
`,
  },
  {
    id: 'php-partial-02',
    class: 'partial',
    language: 'php',
    doc: `<?php
function cost(float $price, int $qty): float {
    $total = $price * █
}
`,
    reply: `$qty;
    return $total;`,
    chatReply: fence('php', '$total = $price * $qty;\n    return $total;'),
    after: `<?php
function cost(float $price, int $qty): float {
    $total = $price * $qty;█
}
`,
  },
  {
    id: 'php-partial-03',
    class: 'partial',
    language: 'php',
    doc: `<?php
function evens(array $xs): array {
    $out = [];
    foreach ($xs as $x) {█
}
`,
    reply: `
        if ($x % 2 === 0) {
            $out[] = $x;
        }
    }
    return $out;`,
    after: `<?php
function evens(array $xs): array {
    $out = [];
    foreach ($xs as $x) {
        if ($x % 2 === 0) {
            $out[] = $x;
        }
    }█
}
`,
    note: 'The line opens a block: the suggestion ends with that block.',
  },
  // 9. suggest-widget selection
  {
    id: 'php-selection-01',
    class: 'selection',
    language: 'php',
    doc: `<?php
function hidden(string $name): bool {
    return str_starts█
}
`,
    reply: "_with($name, '.');",
    selected: { replace: 'str_starts', text: 'str_starts_with' },
    after: `<?php
function hidden(string $name): bool {
    return str_starts_with($name, '.');█
}
`,
  },
  {
    id: 'php-selection-02',
    class: 'selection',
    language: 'php',
    doc: `<?php
function clean(string $s): string {
    return str█
}
`,
    reply: "toupper(trim($s));",
    selected: { replace: 'str', text: 'strtolower' },
    after: null,
  },
  {
    id: 'php-selection-03',
    class: 'selection',
    language: 'php',
    doc: `<?php
function add(Bag $bag, Item $item): void {
    $bag->█
}
`,
    reply: 'add($item);',
    selected: { replace: '', text: 'add' },
    after: `<?php
function add(Bag $bag, Item $item): void {
    $bag->add($item);█
}
`,
  },
  // Variations
  {
    id: 'php-closers-06',
    class: 'closers',
    language: 'php',
    doc: `<?php
function greet(string $name): string {
    return sprintf("Hello, %s█", $name);
}
`,
    reply: '!", $name);',
    after: `<?php
function greet(string $name): string {
    return sprintf("Hello, %s!█", $name);
}
`,
  },
  {
    id: 'php-stops-06',
    class: 'stops',
    language: 'php',
    doc: `<?php
function kind($x): string {
    switch (true) {█
}
`,
    reply: `
        case is_int($x):
            return 'int';

        case is_string($x):
            return 'string';

        default:
            return 'other';
    }`,
    after: `<?php
function kind($x): string {
    switch (true) {
        case is_int($x):
            return 'int';

        case is_string($x):
            return 'string';

        default:
            return 'other';
    }█
}
`,
  },
  {
    id: 'php-overlap-06',
    class: 'overlap',
    language: 'php',
    doc: `<?php
class User {
    private string $name;
    █
    private string $email;
}
`,
    reply: `private int $age;
    private string $email ;`,
    after: `<?php
class User {
    private string $name;
    private int $age;█
    private string $email;
}
`,
  },
  {
    id: 'php-junk-07',
    class: 'junk',
    language: 'php',
    doc: `<?php
function main(): void {
    █
}
`,
    reply: '<?php\nrun();',
    templates: ['fim'],
    after: `<?php
function main(): void {
    run();█
}
`,
    note: 'The model opened a new PHP file: the "<?php" is not code for this place.',
  },
  {
    id: 'php-whitespace-05',
    class: 'whitespace',
    language: 'php',
    doc: `<?php
$name = $user->name ?? █
`,
    reply: "\t'guest';",
    after: `<?php
$name = $user->name ?? 'guest';█
`,
  },
  {
    id: 'php-partial-04',
    class: 'partial',
    language: 'php',
    doc: `<?php
$count = count($items)█
`,
    reply: `;
echo $count;`,
    after: `<?php
$count = count($items);█
`,
  },
  {
    id: 'php-repetition-04',
    class: 'repetition',
    language: 'php',
    doc: `<?php
$app->get('/', 'home');
█
`,
    reply: `$app->get('/about', 'about');
$app->get('/about', 'about');
$app->get('/about', 'about');
$app->get('/about', 'about');`,
    after: `<?php
$app->get('/', 'home');
$app->get('/about', 'about');█
`,
  },
  {
    id: 'php-stops-07',
    class: 'stops',
    language: 'php',
    doc: `<?php
function label(int $code): string {
    return match ($code) {█
}
`,
    reply: `
        200 => 'ok',
        404 => 'not found',
        default => 'error',
    };
}`,
    after: `<?php
function label(int $code): string {
    return match ($code) {
        200 => 'ok',
        404 => 'not found',
        default => 'error',
    };█
}
`,
    note: 'The "}" of the reply is the "}" below: the match expression ends with its "};".',
  },
];
