import type { CorpusCase } from '../format';
import { fence } from './text';

export const KOTLIN_CASES: readonly CorpusCase[] = [
  // 1. closers right of the cursor
  {
    id: 'kt-closers-01',
    class: 'closers',
    language: 'kotlin',
    doc: `fun report(total: Int) {
    println(█)
}
`,
    reply: '"Total: $total"',
    after: `fun report(total: Int) {
    println("Total: $total"█)
}
`,
  },
  {
    id: 'kt-closers-02',
    class: 'closers',
    language: 'kotlin',
    doc: `fun names(users: List<User>): List<String> {
    return users.filter {█}
}
`,
    reply: ' it.active }.map { it.name }',
    after: `fun names(users: List<User>): List<String> {
    return users.filter { it.active }.map { it.name }█
}
`,
  },
  {
    id: 'kt-closers-03',
    class: 'closers',
    language: 'kotlin',
    doc: `class Geometry {
    fun area(█)
}
`,
    reply: 'width: Double, height: Double): Double = width * height',
    after: `class Geometry {
    fun area(width: Double, height: Double): Double = width * height█
}
`,
  },
  {
    id: 'kt-closers-04',
    class: 'closers',
    language: 'kotlin',
    doc: `fun greet(name: String) = "Hello, █"
`,
    reply: '${name.trim()}!"',
    after: `fun greet(name: String) = "Hello, \${name.trim()}!"█
`,
  },
  {
    id: 'kt-closers-05',
    class: 'closers',
    language: 'kotlin',
    doc: `fun start() {
    scope.launch {█}
}
`,
    reply: `
        server.start()
        ready.complete(Unit)
    }`,
    after: `fun start() {
    scope.launch {
        server.start()
        ready.complete(Unit)
    }█
}
`,
  },
  // 2. where a multi-line suggestion stops
  {
    id: 'kt-stops-01',
    class: 'stops',
    language: 'kotlin',
    doc: `fun sign(n: Int): String {
    if (n > 0) {
        █
    }
}
`,
    reply: `return "positive"
    } else {
        return "not positive"`,
    after: `fun sign(n: Int): String {
    if (n > 0) {
        return "positive"
    } else {
        return "not positive"█
    }
}
`,
  },
  {
    id: 'kt-stops-02',
    class: 'stops',
    language: 'kotlin',
    doc: `fun readConfig(path: String): Config? {
    try {
        █
    }
}
`,
    reply: `return Json.decodeFromString(File(path).readText())
    } catch (e: IOException) {
        return null`,
    after: `fun readConfig(path: String): Config? {
    try {
        return Json.decodeFromString(File(path).readText())
    } catch (e: IOException) {
        return null█
    }
}
`,
  },
  {
    id: 'kt-stops-03',
    class: 'stops',
    language: 'kotlin',
    doc: `fun describe(x: Any): String = when (x) {█
`,
    reply: `
    is Int -> "int"

    is String -> "string"

    else -> "other"
}`,
    after: `fun describe(x: Any): String = when (x) {
    is Int -> "int"

    is String -> "string"

    else -> "other"
}█
`,
  },
  {
    id: 'kt-stops-04',
    class: 'stops',
    language: 'kotlin',
    doc: `class Stack {
    private val items = mutableListOf<Int>()

    fun push(item: Int) {█
}
`,
    reply: `
        items.add(item)
    }

    fun pop(): Int = items.removeLast()`,
    after: `class Stack {
    private val items = mutableListOf<Int>()

    fun push(item: Int) {
        items.add(item)
    }█
}
`,
  },
  {
    id: 'kt-stops-05',
    class: 'stops',
    language: 'kotlin',
    doc: `fun grade(score: Int): String {
    if (score >= 90) {
        █
    }
    return "C"
}
`,
    reply: `return "A"
    } else if (score >= 80) {
        return`,
    finishReason: 'length',
    after: `fun grade(score: Int): String {
    if (score >= 90) {
        return "A"█
    }
    return "C"
}
`,
  },
  // 3. overlap with the code after the cursor
  {
    id: 'kt-overlap-01',
    class: 'overlap',
    language: 'kotlin',
    doc: `fun area(w: Double, h: Double): Double {
    █
    return w * h
}
`,
    reply: `require(w >= 0 && h >= 0) { "negative size" }
    return w * h`,
    after: `fun area(w: Double, h: Double): Double {
    require(w >= 0 && h >= 0) { "negative size" }█
    return w * h
}
`,
  },
  {
    id: 'kt-overlap-02',
    class: 'overlap',
    language: 'kotlin',
    doc: `fun main() {
    val config = load()
    █
    run(config)
}
`,
    reply: `config.validate()
    run(config);`,
    after: `fun main() {
    val config = load()
    config.validate()█
    run(config)
}
`,
    note: 'The last line is the next line with a stray ";".',
  },
  {
    id: 'kt-overlap-03',
    class: 'overlap',
    language: 'kotlin',
    doc: `fun main() {
    val config = load()
    █
    run(config)
}
`,
    reply: 'run(config)',
    after: null,
  },
  {
    id: 'kt-overlap-04',
    class: 'overlap',
    language: 'kotlin',
    doc: `class Tree {
    fun depth(n: Node?): Int {
        if (n == null) {█
    }
}
`,
    reply: `
            return 0
        }`,
    after: `class Tree {
    fun depth(n: Node?): Int {
        if (n == null) {
            return 0
        }█
    }
}
`,
  },
  {
    id: 'kt-overlap-05',
    class: 'overlap',
    language: 'kotlin',
    doc: `val response = client.get(█, headers)
`,
    reply: 'url, headers)',
    after: `val response = client.get(url█, headers)
`,
  },
  // 4. repetition
  {
    id: 'kt-repetition-01',
    class: 'repetition',
    language: 'kotlin',
    doc: `fun setup() {
    █
}
`,
    reply: `registry.register(JsonCodec())
    registry.register(JsonCodec())
    registry.register(JsonCodec())
    registry.register(JsonCodec())
    registry.register(JsonCodec())`,
    after: `fun setup() {
    registry.register(JsonCodec())█
}
`,
  },
  {
    id: 'kt-repetition-02',
    class: 'repetition',
    language: 'kotlin',
    doc: `enum class Color {
    █
}
`,
    reply: `RED,
    GREEN,
    BLUE`,
    after: `enum class Color {
    RED,
    GREEN,
    BLUE█
}
`,
  },
  {
    id: 'kt-repetition-03',
    class: 'repetition',
    language: 'kotlin',
    doc: `suspend fun poll() {
    █
}
`,
    reply: `delay(100)
    refresh()
    delay(100)
    refresh()
    delay(100)
    refresh()
    delay(100)`,
    finishReason: 'length',
    after: `suspend fun poll() {
    delay(100)
    refresh()█
}
`,
  },
  // 5. junk from the model
  {
    id: 'kt-junk-01',
    class: 'junk',
    language: 'kotlin',
    doc: `fun isBlank(s: String?): Boolean {
    █
}
`,
    reply: fence('kotlin', 'return s.isNullOrBlank()'),
    templates: ['fim'],
    after: `fun isBlank(s: String?): Boolean {
    return s.isNullOrBlank()█
}
`,
  },
  {
    id: 'kt-junk-02',
    class: 'junk',
    language: 'kotlin',
    doc: `package app

█
`,
    reply: `// Path: src/main/kotlin/app/Main.kt
import kotlinx.coroutines.launch`,
    after: `package app

import kotlinx.coroutines.launch█
`,
  },
  {
    id: 'kt-junk-03',
    class: 'junk',
    language: 'kotlin',
    doc: `fun next(): Long {
    return █
}
`,
    reply: 'counter.incrementAndGet()<|im_start|>',
    chatReply: '<COMPLETION>counter.incrementAndGet()</COMPLETION>',
    after: `fun next(): Long {
    return counter.incrementAndGet()█
}
`,
  },
  {
    id: 'kt-junk-04',
    class: 'junk',
    language: 'kotlin',
    doc: `fun main() {
    █
}
`,
    reply: '🚀 println("started")',
    after: `fun main() {
    println("started")█
}
`,
  },
  {
    id: 'kt-junk-05',
    class: 'junk',
    language: 'kotlin',
    doc: `fun size(items: List<Int>): Int {
    return items█
}
`,
    reply: '.size',
    after: `fun size(items: List<Int>): Int {
    return items.size█
}
`,
  },
  {
    id: 'kt-junk-06',
    class: 'junk',
    language: 'kotlin',
    doc: `fun main() {
    █
}
`,
    reply: '//',
    after: null,
  },
  // 6. whitespace at the cursor
  {
    id: 'kt-whitespace-01',
    class: 'whitespace',
    language: 'kotlin',
    doc: `fun main() {
    val port = █
}
`,
    reply: ' 8080',
    after: `fun main() {
    val port = 8080█
}
`,
  },
  {
    id: 'kt-whitespace-02',
    class: 'whitespace',
    language: 'kotlin',
    doc: `fun check(o: Any?) {
    if (o == null) {
        █
    }
}
`,
    reply: `
        throw IllegalArgumentException("o")`,
    after: `fun check(o: Any?) {
    if (o == null) {
        throw IllegalArgumentException("o")█
    }
}
`,
  },
  {
    id: 'kt-whitespace-03',
    class: 'whitespace',
    language: 'kotlin',
    doc: `fun name(user: User): String {
    return █
}
`,
    reply: '  user.firstName',
    after: `fun name(user: User): String {
    return user.firstName█
}
`,
  },
  {
    id: 'kt-whitespace-04',
    class: 'whitespace',
    language: 'kotlin',
    doc: `fun name(user: User): String {
    █
}
`,
    reply: '    return user.firstName',
    after: `fun name(user: User): String {
    return user.firstName█
}
`,
  },
  // 7. indentation
  {
    id: 'kt-indentation-01',
    class: 'indentation',
    language: 'kotlin',
    doc: `package app

fun main() {█`,
    reply: `
  for (i in 1..3) {
    println(i)
  }
}`,
    after: `package app

fun main() {
  for (i in 1..3) {
    println(i)
  }
}█`,
    note: 'No indented line and no editor options: keep the model\'s steps.',
  },
  {
    id: 'kt-indentation-02',
    class: 'indentation',
    language: 'kotlin',
    doc: `package app

fun main() {█`,
    reply: `
  for (i in 1..3) {
    println(i)
  }
}`,
    formatting: { tabSize: 4, insertSpaces: true },
    after: `package app

fun main() {
    for (i in 1..3) {
        println(i)
    }
}█`,
  },
  {
    id: 'kt-indentation-03',
    class: 'indentation',
    language: 'kotlin',
    doc: `fun query(): String {
    █
}
`,
    reply: `return listOf("SELECT *", "FROM users")
            .joinToString(" ")`,
    after: `fun query(): String {
    return listOf("SELECT *", "FROM users")
            .joinToString(" ")█
}
`,
    note: 'A continuation 8 columns deeper keeps its depth.',
  },
  // 8. completing a partly typed line
  {
    id: 'kt-partial-01',
    class: 'partial',
    language: 'kotlin',
    doc: `fun names(users: List<User>): List<String> {
    val names = users.█
}
`,
    reply: `map { it.name }
    println(names)
    return names`,
    after: `fun names(users: List<User>): List<String> {
    val names = users.map { it.name }█
}
`,
  },
  {
    id: 'kt-partial-02',
    class: 'partial',
    language: 'kotlin',
    doc: `fun cost(price: Double, quantity: Int): Double {
    val total = price * █
}
`,
    reply: `quantity
    return total`,
    chatReply: fence('kotlin', 'val total = price * quantity\n    return total'),
    after: `fun cost(price: Double, quantity: Int): Double {
    val total = price * quantity█
}
`,
  },
  {
    id: 'kt-partial-03',
    class: 'partial',
    language: 'kotlin',
    doc: `fun evens(xs: List<Int>): List<Int> {
    val out = mutableListOf<Int>()
    for (x in xs) {█
}
`,
    reply: `
        if (x % 2 == 0) out.add(x)
    }
    return out`,
    after: `fun evens(xs: List<Int>): List<Int> {
    val out = mutableListOf<Int>()
    for (x in xs) {
        if (x % 2 == 0) out.add(x)
    }█
}
`,
    note: 'The line opens a block: the suggestion ends with that block.',
  },
  // 9. suggest-widget selection
  {
    id: 'kt-selection-01',
    class: 'selection',
    language: 'kotlin',
    doc: `fun hidden(name: String): Boolean {
    return name.starts█
}
`,
    reply: 'With(".")',
    selected: { replace: 'starts', text: 'startsWith' },
    after: `fun hidden(name: String): Boolean {
    return name.startsWith(".")█
}
`,
  },
  {
    id: 'kt-selection-02',
    class: 'selection',
    language: 'kotlin',
    doc: `fun firstAdult(users: List<User>): User? {
    return users.first█
}
`,
    reply: ' { it.age >= 18 }',
    selected: { replace: 'first', text: 'firstOrNull' },
    after: null,
    note: 'The model continues "first" while firstOrNull is selected.',
  },
  {
    id: 'kt-selection-03',
    class: 'selection',
    language: 'kotlin',
    doc: `fun add(item: Item) {
    items.█
}
`,
    reply: 'add(item)',
    selected: { replace: '', text: 'add' },
    after: `fun add(item: Item) {
    items.add(item)█
}
`,
  },
  // Variations
  {
    id: 'kt-closers-06',
    class: 'closers',
    language: 'kotlin',
    doc: `fun main() {
    val m = mapOf(█)
}
`,
    reply: '"a" to 1, "b" to 2)',
    after: `fun main() {
    val m = mapOf("a" to 1, "b" to 2)█
}
`,
  },
  {
    id: 'kt-stops-06',
    class: 'stops',
    language: 'kotlin',
    doc: `fun load(path: String): String? {
    return try {█
}
`,
    reply: `
        File(path).readText()
    } catch (e: IOException) {
        null
    } finally {
        log("read $path")
    }`,
    after: `fun load(path: String): String? {
    return try {
        File(path).readText()
    } catch (e: IOException) {
        null
    } finally {
        log("read $path")
    }█
}
`,
  },
  {
    id: 'kt-overlap-06',
    class: 'overlap',
    language: 'kotlin',
    doc: `data class User(
    val name: String,
    █
    val email: String,
)
`,
    reply: `val age: Int,
    val email: String`,
    after: `data class User(
    val name: String,
    val age: Int,█
    val email: String,
)
`,
  },
  {
    id: 'kt-junk-07',
    class: 'junk',
    language: 'kotlin',
    doc: `fun main() {
    val total = a █
}
`,
    reply: '- discount',
    after: `fun main() {
    val total = a - discount█
}
`,
  },
  {
    id: 'kt-whitespace-05',
    class: 'whitespace',
    language: 'kotlin',
    doc: `fun main() {
    if (ready) {
    █
    }
}
`,
    reply: '    start()',
    after: `fun main() {
    if (ready) {
        start()█
    }
}
`,
  },
  {
    id: 'kt-partial-04',
    class: 'partial',
    language: 'kotlin',
    doc: `fun main() {
    val names = users
        █
}
`,
    reply: `.filter { it.active }
        .map { it.name }
    println(names)`,
    after: `fun main() {
    val names = users
        .filter { it.active }
        .map { it.name }█
}
`,
    note: 'The statement goes on over the chain lines and ends before println.',
  },
  {
    id: 'kt-repetition-04',
    class: 'repetition',
    language: 'kotlin',
    doc: `fun main() {
    █
}
`,
    reply: `println("a")
    println("b")
    println("a")
    println("b")
    println("a")
    println("b")`,
    after: `fun main() {
    println("a")
    println("b")█
}
`,
  },
  {
    id: 'kt-repetition-05',
    class: 'repetition',
    language: 'kotlin',
    doc: `fun check(a: Boolean) {
    █
}
`,
    reply: `if (a) {
        if (a) {
            if (a) {
                if (a) {
                    if (a) {`,
    finishReason: 'length',
    after: null,
    note: 'The model nests the same line forever: nothing complete is left.',
  },
  {
    id: 'kt-stops-07',
    class: 'stops',
    language: 'kotlin',
    doc: `fun client(): Client {
    return Client().apply {█
}
`,
    reply: `
        timeout = 30

        retries = 3
    }`,
    after: `fun client(): Client {
    return Client().apply {
        timeout = 30

        retries = 3
    }█
}
`,
  },
];
