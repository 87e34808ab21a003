import type { CorpusCase } from '../format';
import { fence } from './text';

export const RUST_CASES: readonly CorpusCase[] = [
  // 1. closers right of the cursor
  {
    id: 'rs-closers-01',
    class: 'closers',
    language: 'rust',
    doc: `fn main() {
    println!(█);
}
`,
    reply: '"{} items", items.len()',
    after: `fn main() {
    println!("{} items", items.len()█);
}
`,
  },
  {
    id: 'rs-closers-02',
    class: 'closers',
    language: 'rust',
    doc: `fn main() {
    let total: u32 = prices.iter().map(█)
}
`,
    reply: '|p| p.cents).sum();',
    after: `fn main() {
    let total: u32 = prices.iter().map(|p| p.cents).sum();█
}
`,
    note: 'The rest of the chain after the closer is kept.',
  },
  {
    id: 'rs-closers-03',
    class: 'closers',
    language: 'rust',
    doc: `impl Point {
    pub fn distance(█)
}
`,
    reply: '&self, other: &Point) -> f64 {',
    after: `impl Point {
    pub fn distance(&self, other: &Point) -> f64 {█
}
`,
  },
  {
    id: 'rs-closers-04',
    class: 'closers',
    language: 'rust',
    doc: `fn read() -> Config {
    let text = std::fs::read_to_string("█");
}
`,
    reply: 'config.toml").expect("config file");',
    after: `fn read() -> Config {
    let text = std::fs::read_to_string("config.toml").expect("config file");█
}
`,
  },
  {
    id: 'rs-closers-05',
    class: 'closers',
    language: 'rust',
    doc: `fn origin() -> Point {
    Point {█}
}
`,
    reply: ` x: 0.0, y: 0.0 }`,
    after: `fn origin() -> Point {
    Point { x: 0.0, y: 0.0 }█
}
`,
  },
  // 2. where a multi-line suggestion stops
  {
    id: 'rs-stops-01',
    class: 'stops',
    language: 'rust',
    doc: `fn describe(n: i32) -> &'static str {
    if n < 0 {
        █
    }
}
`,
    reply: `"negative"
    } else if n == 0 {
        "zero"
    } else {
        "positive"`,
    after: `fn describe(n: i32) -> &'static str {
    if n < 0 {
        "negative"
    } else if n == 0 {
        "zero"
    } else {
        "positive"█
    }
}
`,
  },
  {
    id: 'rs-stops-02',
    class: 'stops',
    language: 'rust',
    doc: `use std::collections::HashMap;

fn count_words(text: &str) -> HashMap<&str, usize> {█`,
    reply: `
    let mut counts = HashMap::new();

    for word in text.split_whitespace() {
        *counts.entry(word).or_insert(0) += 1;
    }

    counts
}`,
    after: `use std::collections::HashMap;

fn count_words(text: &str) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();

    for word in text.split_whitespace() {
        *counts.entry(word).or_insert(0) += 1;
    }

    counts
}█`,
  },
  {
    id: 'rs-stops-03',
    class: 'stops',
    language: 'rust',
    doc: `fn code(status: Status) -> u16 {
    match status {█
}
`,
    reply: `
        Status::Ok => 200,
        Status::NotFound => 404,
        Status::Error(_) => 500,
    }`,
    after: `fn code(status: Status) -> u16 {
    match status {
        Status::Ok => 200,
        Status::NotFound => 404,
        Status::Error(_) => 500,
    }█
}
`,
  },
  {
    id: 'rs-stops-04',
    class: 'stops',
    language: 'rust',
    doc: `impl Stack {
    pub fn push(&mut self, item: i32) {█
}
`,
    reply: `
        self.items.push(item);
    }

    pub fn pop(&mut self) -> Option<i32> {
        self.items.pop()
    }`,
    after: `impl Stack {
    pub fn push(&mut self, item: i32) {
        self.items.push(item);
    }█
}
`,
  },
  {
    id: 'rs-stops-05',
    class: 'stops',
    language: 'rust',
    doc: `fn parse(input: &str) -> Option<u32> {
    if let Ok(n) = input.parse::<u32>() {
        █
    }
    None
}
`,
    reply: `return Some(n);
    } else if let Some(rest) = input.strip_prefix("0x") {
        return u32::from_str_radix(`,
    finishReason: 'length',
    after: `fn parse(input: &str) -> Option<u32> {
    if let Ok(n) = input.parse::<u32>() {
        return Some(n);█
    }
    None
}
`,
  },
  // 3. overlap with the code after the cursor
  {
    id: 'rs-overlap-01',
    class: 'overlap',
    language: 'rust',
    doc: `fn area(w: f64, h: f64) -> f64 {
    █
    w * h
}
`,
    reply: `assert!(w >= 0.0 && h >= 0.0);
    w * h`,
    after: `fn area(w: f64, h: f64) -> f64 {
    assert!(w >= 0.0 && h >= 0.0);█
    w * h
}
`,
  },
  {
    id: 'rs-overlap-02',
    class: 'overlap',
    language: 'rust',
    doc: `fn main() {
    let config = load();
    █
    run(&config);
}
`,
    reply: `config.validate().expect("invalid config");
    run( &config );`,
    after: `fn main() {
    let config = load();
    config.validate().expect("invalid config");█
    run(&config);
}
`,
    note: 'Differs from the next line only in whitespace.',
  },
  {
    id: 'rs-overlap-03',
    class: 'overlap',
    language: 'rust',
    doc: `fn main() {
    let args = parse_args();
    █
    run(args)
}
`,
    reply: 'run(args)',
    after: null,
  },
  {
    id: 'rs-overlap-04',
    class: 'overlap',
    language: 'rust',
    doc: `impl Cache {
    fn get(&self, key: &str) -> Option<&str> {
        if key.is_empty() {█
    }
}
`,
    reply: `
            return None;
        }`,
    after: `impl Cache {
    fn get(&self, key: &str) -> Option<&str> {
        if key.is_empty() {
            return None;
        }█
    }
}
`,
  },
  {
    id: 'rs-overlap-05',
    class: 'overlap',
    language: 'rust',
    doc: `let server = Server::bind(█, config)?;
`,
    reply: 'addr, config)?;',
    after: `let server = Server::bind(addr█, config)?;
`,
  },
  // 4. repetition
  {
    id: 'rs-repetition-01',
    class: 'repetition',
    language: 'rust',
    doc: `fn main() {
    let mut v = Vec::new();
    █
}
`,
    reply: `v.push(1);
    v.push(1);
    v.push(1);
    v.push(1);
    v.push(1);
    v.push(1);`,
    after: `fn main() {
    let mut v = Vec::new();
    v.push(1);█
}
`,
  },
  {
    id: 'rs-repetition-02',
    class: 'repetition',
    language: 'rust',
    doc: `#[derive(Debug)]
enum Token {
    █
}
`,
    reply: `Number(f64),
    Plus,
    Minus,
    Star,
    Slash,`,
    after: `#[derive(Debug)]
enum Token {
    Number(f64),
    Plus,
    Minus,
    Star,
    Slash,█
}
`,
  },
  {
    id: 'rs-repetition-03',
    class: 'repetition',
    language: 'rust',
    doc: `fn drain(queue: &mut Queue) {
    █
}
`,
    reply: `while let Some(job) = queue.pop() {
        job.run();
    }
    while let Some(job) = queue.pop() {
        job.run();
    }
    while let Some(job) = queue.pop() {
        job.run();
    }`,
    after: `fn drain(queue: &mut Queue) {
    while let Some(job) = queue.pop() {
        job.run();
    }█
}
`,
  },
  // 5. junk from the model
  {
    id: 'rs-junk-01',
    class: 'junk',
    language: 'rust',
    doc: `fn is_even(n: u32) -> bool {
    █
}
`,
    reply: fence('rust', 'n % 2 == 0'),
    templates: ['fim'],
    after: `fn is_even(n: u32) -> bool {
    n % 2 == 0█
}
`,
  },
  {
    id: 'rs-junk-02',
    class: 'junk',
    language: 'rust',
    doc: `█
fn main() {}
`,
    reply: `// src/main.rs
use std::env;`,
    after: `use std::env;█
fn main() {}
`,
    note: 'An echoed file-name comment.',
  },
  {
    id: 'rs-junk-03',
    class: 'junk',
    language: 'rust',
    doc: `fn triple(x: i32) -> i32 {
    █
}
`,
    reply: 'x * 3<|fim_suffix|>\n}',
    chatReply: 'x * 3<|im_end|>',
    after: `fn triple(x: i32) -> i32 {
    x * 3█
}
`,
  },
  {
    id: 'rs-junk-04',
    class: 'junk',
    language: 'rust',
    doc: `fn main() {
    █
}
`,
    reply: '✨ println!("ready");',
    after: `fn main() {
    println!("ready");█
}
`,
  },
  {
    id: 'rs-junk-05',
    class: 'junk',
    language: 'rust',
    doc: `fn len(v: &[u8]) -> usize {
    v█
}
`,
    reply: '.len()',
    after: `fn len(v: &[u8]) -> usize {
    v.len()█
}
`,
  },
  {
    id: 'rs-junk-06',
    class: 'junk',
    language: 'rust',
    doc: `fn main() {
    █
}
`,
    reply: '//',
    after: null,
  },
  // 6. whitespace at the cursor
  {
    id: 'rs-whitespace-01',
    class: 'whitespace',
    language: 'rust',
    doc: `fn main() {
    let port = █
}
`,
    reply: ' 8080;',
    after: `fn main() {
    let port = 8080;█
}
`,
  },
  {
    id: 'rs-whitespace-02',
    class: 'whitespace',
    language: 'rust',
    doc: `fn first(v: &[i32]) -> Option<i32> {
    if v.is_empty() {
        █
    }
    Some(v[0])
}
`,
    reply: `
        return None;`,
    after: `fn first(v: &[i32]) -> Option<i32> {
    if v.is_empty() {
        return None;█
    }
    Some(v[0])
}
`,
  },
  {
    id: 'rs-whitespace-03',
    class: 'whitespace',
    language: 'rust',
    doc: `fn first(v: &[i32]) -> Option<i32> {
    █
}
`,
    reply: '    v.first().copied()',
    after: `fn first(v: &[i32]) -> Option<i32> {
    v.first().copied()█
}
`,
  },
  {
    id: 'rs-whitespace-04',
    class: 'whitespace',
    language: 'rust',
    doc: `fn name(&self) -> &str {
    return █
}
`,
    reply: '\t&self.name;',
    after: `fn name(&self) -> &str {
    return &self.name;█
}
`,
  },
  // 7. indentation
  {
    id: 'rs-indentation-01',
    class: 'indentation',
    language: 'rust',
    doc: `use std::io;

fn main() {█`,
    reply: `
  let stdin = io::stdin();
  for line in stdin.lines() {
    println!("{}", line.unwrap());
  }
}`,
    after: `use std::io;

fn main() {
  let stdin = io::stdin();
  for line in stdin.lines() {
    println!("{}", line.unwrap());
  }
}█`,
    note: 'No indented line and no editor options: keep the model\'s steps.',
  },
  {
    id: 'rs-indentation-02',
    class: 'indentation',
    language: 'rust',
    doc: `use std::io;

fn main() {█`,
    reply: `
  let stdin = io::stdin();
  for line in stdin.lines() {
    println!("{}", line.unwrap());
  }
}`,
    formatting: { tabSize: 4, insertSpaces: true },
    after: `use std::io;

fn main() {
    let stdin = io::stdin();
    for line in stdin.lines() {
        println!("{}", line.unwrap());
    }
}█`,
  },
  {
    id: 'rs-indentation-03',
    class: 'indentation',
    language: 'rust',
    doc: `fn main() {
    let args: Vec<String> = std::env::args().collect();
    █
}
`,
    reply: `let message = format!("{} {}",
                          args[0],
                          args.len());`,
    after: `fn main() {
    let args: Vec<String> = std::env::args().collect();
    let message = format!("{} {}",
                          args[0],
                          args.len());█
}
`,
    note: 'Arguments aligned under the macro call keep their column.',
  },
  // 8. completing a partly typed line
  {
    id: 'rs-partial-01',
    class: 'partial',
    language: 'rust',
    doc: `fn total(items: &[Item]) -> u32 {
    let sum: u32 = items.iter().█
}
`,
    reply: `map(|i| i.price).sum();
    println!("{}", sum);
    sum`,
    after: `fn total(items: &[Item]) -> u32 {
    let sum: u32 = items.iter().map(|i| i.price).sum();█
}
`,
  },
  {
    id: 'rs-partial-02',
    class: 'partial',
    language: 'rust',
    doc: `fn open(path: &Path) -> io::Result<File> {
    let file = File::open(path)█
}
`,
    reply: `?;
    Ok(file)`,
    chatReply: fence('rust', 'let file = File::open(path)?;\n    Ok(file)'),
    after: `fn open(path: &Path) -> io::Result<File> {
    let file = File::open(path)?;█
}
`,
  },
  {
    id: 'rs-partial-03',
    class: 'partial',
    language: 'rust',
    doc: `fn evens(v: &[i32]) -> Vec<i32> {
    let mut out = Vec::new();
    for x in v {█
}
`,
    reply: `
        if x % 2 == 0 {
            out.push(*x);
        }
    }`,
    after: `fn evens(v: &[i32]) -> Vec<i32> {
    let mut out = Vec::new();
    for x in v {
        if x % 2 == 0 {
            out.push(*x);
        }
    }█
}
`,
  },
  // 9. suggest-widget selection
  {
    id: 'rs-selection-01',
    class: 'selection',
    language: 'rust',
    doc: `fn names(users: &[User]) -> Vec<String> {
    users.iter().ma█
}
`,
    reply: 'p(|u| u.name.clone()).collect()',
    selected: { replace: 'ma', text: 'map' },
    after: `fn names(users: &[User]) -> Vec<String> {
    users.iter().map(|u| u.name.clone()).collect()█
}
`,
  },
  {
    id: 'rs-selection-02',
    class: 'selection',
    language: 'rust',
    doc: `fn names(users: &[User]) -> Vec<String> {
    users.iter().ma█
}
`,
    reply: 'x_by_key(|u| u.age)',
    selected: { replace: 'ma', text: 'map' },
    after: null,
    note: 'max_by_key does not start with the selected map.',
  },
  {
    id: 'rs-selection-03',
    class: 'selection',
    language: 'rust',
    doc: `fn key(s: &str) -> String {
    s.to_█
}
`,
    reply: 'lowercase()',
    selected: { replace: 'to_', text: 'to_lowercase' },
    after: `fn key(s: &str) -> String {
    s.to_lowercase()█
}
`,
  },
  // Variations
  {
    id: 'rs-closers-06',
    class: 'closers',
    language: 'rust',
    doc: `fn main() {
    let v = vec![█];
}
`,
    reply: '1, 2, 3',
    after: `fn main() {
    let v = vec![1, 2, 3█];
}
`,
  },
  {
    id: 'rs-stops-06',
    class: 'stops',
    language: 'rust',
    doc: `fn classify(n: i32) -> &'static str {
    match n {
        0 => "zero",
        x if x < 0 => {█
    }
}
`,
    reply: `
            log::debug!("negative: {}", x);
            "negative"
        }
        _ => "positive",`,
    after: `fn classify(n: i32) -> &'static str {
    match n {
        0 => "zero",
        x if x < 0 => {
            log::debug!("negative: {}", x);
            "negative"
        }█
    }
}
`,
    note: 'The suggestion ends with the block its line opened (the arm), not with the next arm.',
  },
  {
    id: 'rs-overlap-06',
    class: 'overlap',
    language: 'rust',
    doc: `fn main() {
    let x = compute();
    █
    println!("{}", x);
}
`,
    reply: `assert!(x > 0);
    println!("{}",x);`,
    after: `fn main() {
    let x = compute();
    assert!(x > 0);█
    println!("{}", x);
}
`,
  },
  {
    id: 'rs-junk-07',
    class: 'junk',
    language: 'rust',
    doc: `fn main() {
    let doubled: Vec<i32> = items.iter()
        █
}
`,
    reply: '.map(|x| x * 2).collect();',
    after: `fn main() {
    let doubled: Vec<i32> = items.iter()
        .map(|x| x * 2).collect();█
}
`,
    note: 'A leading "." continuing a method chain on its own line is code.',
  },
  {
    id: 'rs-whitespace-05',
    class: 'whitespace',
    language: 'rust',
    doc: `fn main() {
    let name = █;
}
`,
    reply: ' String::from("x")',
    after: `fn main() {
    let name = String::from("x")█;
}
`,
  },
  {
    id: 'rs-partial-04',
    class: 'partial',
    language: 'rust',
    doc: `fn main() {
    let total = a + █
}
`,
    reply: `b;
    let avg = total / 2;
    println!("{}", avg);`,
    chatReply: fence('rust', 'let total = a + b;'),
    after: `fn main() {
    let total = a + b;█
}
`,
  },
  {
    id: 'rs-selection-04',
    class: 'selection',
    language: 'rust',
    doc: `fn main() {
    let s = name.trim().to_█;
}
`,
    reply: 'owned()',
    selected: { replace: 'to_', text: 'to_owned' },
    after: `fn main() {
    let s = name.trim().to_owned()█;
}
`,
  },
  {
    id: 'rs-stops-07',
    class: 'stops',
    language: 'rust',
    doc: `struct Parser<'a> {
    input: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<char> {█
}
`,
    reply: `
        self.input[self.pos..].chars().next()
    }`,
    after: `struct Parser<'a> {
    input: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<char> {
        self.input[self.pos..].chars().next()
    }█
}
`,
    note: "Lifetimes ('a) are not string quotes: the brackets around them still count.",
  },
  {
    id: 'rs-closers-07',
    class: 'closers',
    language: 'rust',
    doc: `fn depth(s: &str) -> i32 {
    s.chars().map(|c| match c {█}).sum()
}
`,
    reply: ` '{' => 1, '}' => -1, _ => 0 `,
    after: `fn depth(s: &str) -> i32 {
    s.chars().map(|c| match c { '{' => 1, '}' => -1, _ => 0 █}).sum()
}
`,
    note: 'Braces inside char literals close nothing.',
  },
];
