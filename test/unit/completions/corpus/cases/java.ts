import type { CorpusCase } from '../format';
import { fence } from './text';

export const JAVA_CASES: readonly CorpusCase[] = [
  // 1. closers right of the cursor
  {
    id: 'java-closers-01',
    class: 'closers',
    language: 'java',
    doc: `class Report {
    void print(int total) {
        System.out.println(█);
    }
}
`,
    reply: '"Total: " + total',
    after: `class Report {
    void print(int total) {
        System.out.println("Total: " + total█);
    }
}
`,
  },
  {
    id: 'java-closers-02',
    class: 'closers',
    language: 'java',
    doc: `class Limits {
    int clamp(int value) {
        return Math.min(█)
    }
}
`,
    reply: 'value, MAX);',
    after: `class Limits {
    int clamp(int value) {
        return Math.min(value, MAX);█
    }
}
`,
  },
  {
    id: 'java-closers-03',
    class: 'closers',
    language: 'java',
    doc: `class Names {
    List<String> upper(List<String> names) {
        return names.stream().map(█)
    }
}
`,
    reply: 'String::toUpperCase).collect(Collectors.toList());',
    after: `class Names {
    List<String> upper(List<String> names) {
        return names.stream().map(String::toUpperCase).collect(Collectors.toList());█
    }
}
`,
  },
  {
    id: 'java-closers-04',
    class: 'closers',
    language: 'java',
    doc: `class Boot {
    void start() {
        executor.submit(() -> {█});
    }
}
`,
    reply: `
            server.start();
            latch.countDown();
        });`,
    after: `class Boot {
    void start() {
        executor.submit(() -> {
            server.start();
            latch.countDown();
        });█
    }
}
`,
  },
  {
    id: 'java-closers-05',
    class: 'closers',
    language: 'java',
    doc: `class Greeter {
    String greet(String name) {
        return String.format("Hello, █");
    }
}
`,
    reply: '%s!", name);',
    after: `class Greeter {
    String greet(String name) {
        return String.format("Hello, %s!", name);█
    }
}
`,
  },
  // 2. where a multi-line suggestion stops
  {
    id: 'java-stops-01',
    class: 'stops',
    language: 'java',
    doc: `class Loader {
    String read(Path path) {
        try {
            █
        }
    }
}
`,
    reply: `return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);`,
    after: `class Loader {
    String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);█
        }
    }
}
`,
  },
  {
    id: 'java-stops-02',
    class: 'stops',
    language: 'java',
    doc: `class Pool {
    void release(Connection c) {
        lock.lock();
        try {
            idle.add(c);
        █
    }
}
`,
    reply: `} finally {
            lock.unlock();
        }`,
    after: `class Pool {
    void release(Connection c) {
        lock.lock();
        try {
            idle.add(c);
        } finally {
            lock.unlock();
        }█
    }
}
`,
  },
  {
    id: 'java-stops-03',
    class: 'stops',
    language: 'java',
    doc: `class Users {
    User find(long id) {█
}
`,
    reply: `
        User user = repository.findById(id);

        if (user == null) {
            throw new NotFoundException(id);
        }
        return user;
    }`,
    after: `class Users {
    User find(long id) {
        User user = repository.findById(id);

        if (user == null) {
            throw new NotFoundException(id);
        }
        return user;
    }█
}
`,
  },
  {
    id: 'java-stops-04',
    class: 'stops',
    language: 'java',
    doc: `class Signs {
    static String sign(int n) {
        if (n > 0) {
            █
        }
        return "zero";
    }
}
`,
    reply: `return "positive";
        } else if (n < 0) {
            return`,
    finishReason: 'length',
    after: `class Signs {
    static String sign(int n) {
        if (n > 0) {
            return "positive";█
        }
        return "zero";
    }
}
`,
  },
  {
    id: 'java-stops-05',
    class: 'stops',
    language: 'java',
    doc: `class Shapes {
    double area(double r) {█
}
`,
    reply: `
        return Math.PI * r * r;
    }

    double perimeter(double r) {
        return 2 * Math.PI * r;
    }`,
    after: `class Shapes {
    double area(double r) {
        return Math.PI * r * r;
    }█
}
`,
  },
  // 3. overlap with the code after the cursor
  {
    id: 'java-overlap-01',
    class: 'overlap',
    language: 'java',
    doc: `class Account {
    void withdraw(long amount) {
        █
        balance -= amount;
    }
}
`,
    reply: `if (amount > balance) {
            throw new IllegalStateException("insufficient funds");
        }
        balance -= amount;`,
    after: `class Account {
    void withdraw(long amount) {
        if (amount > balance) {
            throw new IllegalStateException("insufficient funds");
        }█
        balance -= amount;
    }
}
`,
  },
  {
    id: 'java-overlap-02',
    class: 'overlap',
    language: 'java',
    doc: `class Stats {
    double mean(int[] xs) {
        long sum = 0;
        █
        return (double) sum / xs.length;
    }
}
`,
    reply: `for (int x : xs) sum += x;
        return (double) sum / xs.length`,
    after: `class Stats {
    double mean(int[] xs) {
        long sum = 0;
        for (int x : xs) sum += x;█
        return (double) sum / xs.length;
    }
}
`,
  },
  {
    id: 'java-overlap-03',
    class: 'overlap',
    language: 'java',
    doc: `class Tree {
    int depth(Node n) {
        if (n == null) {█
    }
}
`,
    reply: `
            return 0;
        }`,
    after: `class Tree {
    int depth(Node n) {
        if (n == null) {
            return 0;
        }█
    }
}
`,
  },
  {
    id: 'java-overlap-04',
    class: 'overlap',
    language: 'java',
    doc: `class App {
    public static void main(String[] args) {
        Config config = Config.load();
        █
        new Server(config).start();
    }
}
`,
    reply: 'new Server(config).start();',
    after: null,
  },
  {
    id: 'java-overlap-05',
    class: 'overlap',
    language: 'java',
    doc: `class Mail {
    void send() {
        client.send(█, message);
    }
}
`,
    reply: 'recipient, message);',
    after: `class Mail {
    void send() {
        client.send(recipient█, message);
    }
}
`,
  },
  // 4. repetition
  {
    id: 'java-repetition-01',
    class: 'repetition',
    language: 'java',
    doc: `class Setup {
    void init() {
        █
    }
}
`,
    reply: `registry.register(new JsonCodec());
        registry.register(new JsonCodec());
        registry.register(new JsonCodec());
        registry.register(new JsonCodec());
        registry.register(new JsonCodec());`,
    after: `class Setup {
    void init() {
        registry.register(new JsonCodec());█
    }
}
`,
  },
  {
    id: 'java-repetition-02',
    class: 'repetition',
    language: 'java',
    doc: `class Point {
    private final int x;
    private final int y;

    Point(int x, int y) {
        █
    }
}
`,
    reply: `this.x = x;
        this.y = y;`,
    after: `class Point {
    private final int x;
    private final int y;

    Point(int x, int y) {
        this.x = x;
        this.y = y;█
    }
}
`,
  },
  {
    id: 'java-repetition-03',
    class: 'repetition',
    language: 'java',
    doc: `class Retry {
    void run() {
        █
    }
}
`,
    reply: `attempts++;
        task.run();
        attempts++;
        task.run();
        attempts++;
        task.run();
        attempts++;`,
    finishReason: 'length',
    after: `class Retry {
    void run() {
        attempts++;
        task.run();█
    }
}
`,
  },
  // 5. junk from the model
  {
    id: 'java-junk-01',
    class: 'junk',
    language: 'java',
    doc: `class Checks {
    static boolean isBlank(String s) {
        █
    }
}
`,
    reply: fence('java', 'return s == null || s.trim().isEmpty();'),
    templates: ['fim'],
    after: `class Checks {
    static boolean isBlank(String s) {
        return s == null || s.trim().isEmpty();█
    }
}
`,
  },
  {
    id: 'java-junk-02',
    class: 'junk',
    language: 'java',
    doc: `package com.example;

█
`,
    reply: `// Path: src/main/java/com/example/App.java
import java.util.List;`,
    after: `package com.example;

import java.util.List;█
`,
  },
  {
    id: 'java-junk-03',
    class: 'junk',
    language: 'java',
    doc: `class Ids {
    long next() {
        return █
    }
}
`,
    reply: 'counter.incrementAndGet();<|fim_middle|>',
    chatReply: 'Here is the completion:\n\n' + fence('java', 'counter.incrementAndGet();') + '\n\nThis returns the next id.',
    after: `class Ids {
    long next() {
        return counter.incrementAndGet();█
    }
}
`,
  },
  {
    id: 'java-junk-04',
    class: 'junk',
    language: 'java',
    doc: `class Main {
    public static void main(String[] args) {
        █
    }
}
`,
    reply: '+        System.out.println("started");',
    templates: ['chat'],
    chatReply: '+        System.out.println("started");',
    after: `class Main {
    public static void main(String[] args) {
        System.out.println("started");█
    }
}
`,
  },
  {
    id: 'java-junk-05',
    class: 'junk',
    language: 'java',
    doc: `class Sizes {
    int size() {
        return items█
    }
}
`,
    reply: '.size();',
    after: `class Sizes {
    int size() {
        return items.size();█
    }
}
`,
  },
  {
    id: 'java-junk-06',
    class: 'junk',
    language: 'java',
    doc: `class Main {
    void run() {
        █
    }
}
`,
    reply: '<|endoftext|>',
    after: null,
  },
  // 6. whitespace at the cursor
  {
    id: 'java-whitespace-01',
    class: 'whitespace',
    language: 'java',
    doc: `class Server {
    void start() {
        int port = █
    }
}
`,
    reply: '  8080;',
    after: `class Server {
    void start() {
        int port = 8080;█
    }
}
`,
  },
  {
    id: 'java-whitespace-02',
    class: 'whitespace',
    language: 'java',
    doc: `class Guard {
    void check(Object o) {
        if (o == null) {
            █
        }
    }
}
`,
    reply: `
            throw new NullPointerException("o");`,
    after: `class Guard {
    void check(Object o) {
        if (o == null) {
            throw new NullPointerException("o");█
        }
    }
}
`,
  },
  {
    id: 'java-whitespace-03',
    class: 'whitespace',
    language: 'java',
    doc: `class Guard {
    String name() {
        █
    }
}
`,
    reply: '        return name;',
    after: `class Guard {
    String name() {
        return name;█
    }
}
`,
  },
  {
    id: 'java-whitespace-04',
    class: 'whitespace',
    language: 'java',
    doc: `class Guard {
    String name() {
        return█
    }
}
`,
    reply: ' name;',
    after: `class Guard {
    String name() {
        return name;█
    }
}
`,
  },
  // 7. indentation
  {
    id: 'java-indentation-01',
    class: 'indentation',
    language: 'java',
    doc: `package app;

public class Main {█`,
    reply: `
  public static void main(String[] args) {
    System.out.println("hi");
  }
}`,
    after: `package app;

public class Main {
  public static void main(String[] args) {
    System.out.println("hi");
  }
}█`,
    note: 'No indented line and no editor options: keep the model\'s steps.',
  },
  {
    id: 'java-indentation-02',
    class: 'indentation',
    language: 'java',
    doc: `package app;

public class Main {█`,
    reply: `
  public static void main(String[] args) {
    System.out.println("hi");
  }
}`,
    formatting: { tabSize: 4, insertSpaces: false },
    after: `package app;

public class Main {
\tpublic static void main(String[] args) {
\t\tSystem.out.println("hi");
\t}
}█`,
  },
  {
    id: 'java-indentation-03',
    class: 'indentation',
    language: 'java',
    doc: `class Query {
    String build() {
        █
    }
}
`,
    reply: `return new StringBuilder("SELECT * FROM users")
                .append(" WHERE id = ?")
                .toString();`,
    after: `class Query {
    String build() {
        return new StringBuilder("SELECT * FROM users")
                .append(" WHERE id = ?")
                .toString();█
    }
}
`,
    note: 'Continuation lines (8 columns deeper) keep their depth.',
  },
  // 8. completing a partly typed line
  {
    id: 'java-partial-01',
    class: 'partial',
    language: 'java',
    doc: `class Orders {
    int count(List<Order> orders) {
        int open = (int) orders.stream().█
    }
}
`,
    reply: `filter(Order::isOpen).count();
        log.info("open orders: {}", open);
        return open;`,
    after: `class Orders {
    int count(List<Order> orders) {
        int open = (int) orders.stream().filter(Order::isOpen).count();█
    }
}
`,
  },
  {
    id: 'java-partial-02',
    class: 'partial',
    language: 'java',
    doc: `class Files2 {
    List<String> lines(Path path) throws IOException {
        List<String> lines = Files.█
    }
}
`,
    reply: `readAllLines(path);
        return lines;`,
    chatReply: fence('java', 'List<String> lines = Files.readAllLines(path);\n        return lines;'),
    after: `class Files2 {
    List<String> lines(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path);█
    }
}
`,
  },
  {
    id: 'java-partial-03',
    class: 'partial',
    language: 'java',
    doc: `class Sum {
    int sum(int[] xs) {
        int total = 0;
        for (int x : xs) {█
    }
}
`,
    reply: `
            total += x;
        }
        return total;`,
    after: `class Sum {
    int sum(int[] xs) {
        int total = 0;
        for (int x : xs) {
            total += x;
        }█
    }
}
`,
    note: 'The line opens a block: the suggestion ends with that block.',
  },
  // 9. suggest-widget selection
  {
    id: 'java-selection-01',
    class: 'selection',
    language: 'java',
    doc: `class Text {
    boolean hidden(String name) {
        return name.starts█
    }
}
`,
    reply: 'With(".");',
    selected: { replace: 'starts', text: 'startsWith' },
    after: `class Text {
    boolean hidden(String name) {
        return name.startsWith(".");█
    }
}
`,
  },
  {
    id: 'java-selection-02',
    class: 'selection',
    language: 'java',
    doc: `class Text {
    String clean(String s) {
        return s.trim().to█
    }
}
`,
    reply: 'UpperCase();',
    selected: { replace: 'to', text: 'toLowerCase' },
    after: null,
  },
  {
    id: 'java-selection-03',
    class: 'selection',
    language: 'java',
    doc: `class Bag {
    void add(Item item) {
        items.█
    }
}
`,
    reply: `add(item);
        size++;`,
    selected: { replace: '', text: 'add' },
    after: `class Bag {
    void add(Item item) {
        items.add(item);█
    }
}
`,
    note: 'A partly typed line too: the current statement only.',
  },
  // Variations
  {
    id: 'java-closers-06',
    class: 'closers',
    language: 'java',
    doc: `class Maps {
    Map<String, Integer> counts() {
        return Map.of(█);
    }
}
`,
    reply: '"a", 1, "b", 2',
    after: `class Maps {
    Map<String, Integer> counts() {
        return Map.of("a", 1, "b", 2█);
    }
}
`,
  },
  {
    id: 'java-stops-06',
    class: 'stops',
    language: 'java',
    doc: `class Io {
    void copy(InputStream in, OutputStream out) throws IOException {
        try (in; out) {█
    }
}
`,
    reply: `
            in.transferTo(out);
        } catch (IOException e) {
            log.warn("copy failed", e);
            throw e;
        } finally {
            metrics.increment("copies");
        }`,
    after: `class Io {
    void copy(InputStream in, OutputStream out) throws IOException {
        try (in; out) {
            in.transferTo(out);
        } catch (IOException e) {
            log.warn("copy failed", e);
            throw e;
        } finally {
            metrics.increment("copies");
        }█
    }
}
`,
  },
  {
    id: 'java-overlap-06',
    class: 'overlap',
    language: 'java',
    doc: `class Config {
    private final int port;
    █
    private final String host;
}
`,
    reply: `private final int timeout;
    private final String host`,
    after: `class Config {
    private final int port;
    private final int timeout;█
    private final String host;
}
`,
  },
  {
    id: 'java-repetition-04',
    class: 'repetition',
    language: 'java',
    doc: `class Parser {
    void parse() {
        █
    }
}
`,
    reply: `expect(Token.LPAREN);
        parseArgs();
        expect(Token.RPAREN);`,
    after: `class Parser {
    void parse() {
        expect(Token.LPAREN);
        parseArgs();
        expect(Token.RPAREN);█
    }
}
`,
    note: 'Alike but different lines are no repetition.',
  },
  {
    id: 'java-junk-07',
    class: 'junk',
    language: 'java',
    doc: `class Main {
    void run() {
        █
    }
}
`,
    reply: 'start();',
    chatReply: '<CURSOR>start();',
    after: `class Main {
    void run() {
        start();█
    }
}
`,
    note: 'The chat model echoed the cursor marker.',
  },
  {
    id: 'java-whitespace-05',
    class: 'whitespace',
    language: 'java',
    doc: `class Main {
    void run() {
        if (ready) {
        █
        }
    }
}
`,
    reply: '    start();',
    after: `class Main {
    void run() {
        if (ready) {
            start();█
        }
    }
}
`,
  },
  {
    id: 'java-partial-04',
    class: 'partial',
    language: 'java',
    doc: `class Main {
    void run() {
        String name = user.getName()█
    }
}
`,
    reply: `;
        log.info(name);`,
    after: `class Main {
    void run() {
        String name = user.getName();█
    }
}
`,
  },
  {
    id: 'java-selection-04',
    class: 'selection',
    language: 'java',
    doc: `class Main {
    void run() {
        list.add█
    }
}
`,
    reply: 'All(other);',
    selected: { replace: 'add', text: 'addAll' },
    after: `class Main {
    void run() {
        list.addAll(other);█
    }
}
`,
  },
  {
    id: 'java-stops-07',
    class: 'stops',
    language: 'java',
    doc: `class Days {
    static int length(Month m) {
        return switch (m) {█
    }
}
`,
    reply: `
            case FEBRUARY -> 28;
            case APRIL, JUNE, SEPTEMBER, NOVEMBER -> 30;
            default -> 31;
        };
    }

    static boolean leap(int year) {`,
    after: `class Days {
    static int length(Month m) {
        return switch (m) {
            case FEBRUARY -> 28;
            case APRIL, JUNE, SEPTEMBER, NOVEMBER -> 30;
            default -> 31;
        };█
    }
}
`,
  },
];
