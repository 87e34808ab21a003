import type { CorpusCase } from '../format';
import { fence } from './text';

export const RUBY_CASES: readonly CorpusCase[] = [
  // 1. closers right of the cursor
  {
    id: 'rb-closers-01',
    class: 'closers',
    language: 'ruby',
    doc: `def report(total)
  puts(█)
end
`,
    reply: '"Total: #{total}"',
    after: `def report(total)
  puts("Total: #{total}"█)
end
`,
  },
  {
    id: 'rb-closers-02',
    class: 'closers',
    language: 'ruby',
    doc: `def names(users)
  users.select { |u| u.active? }.map(█)
end
`,
    reply: '&:name).sort',
    after: `def names(users)
  users.select { |u| u.active? }.map(&:name).sort█
end
`,
  },
  {
    id: 'rb-closers-03',
    class: 'closers',
    language: 'ruby',
    doc: `def load(path)
  File.read(File.join(root, "█"))
end
`,
    reply: 'config.yml"))',
    after: `def load(path)
  File.read(File.join(root, "config.yml"))█
end
`,
  },
  {
    id: 'rb-closers-04',
    class: 'closers',
    language: 'ruby',
    doc: `DEFAULTS = {█}
`,
    reply: ` host: "localhost", port: 8080 }.freeze`,
    after: `DEFAULTS = { host: "localhost", port: 8080 }.freeze█
`,
  },
  {
    id: 'rb-closers-05',
    class: 'closers',
    language: 'ruby',
    doc: `primes = [█]
`,
    reply: '2, 3, 5, 7',
    after: `primes = [2, 3, 5, 7█]
`,
  },
  // 2. where a multi-line suggestion stops
  {
    id: 'rb-stops-01',
    class: 'stops',
    language: 'ruby',
    doc: `def sign(n)
  if n > 0
    █
  end
end
`,
    reply: `"positive"
  elsif n < 0
    "negative"
  else
    "zero"`,
    after: `def sign(n)
  if n > 0
    "positive"
  elsif n < 0
    "negative"
  else
    "zero"█
  end
end
`,
  },
  {
    id: 'rb-stops-02',
    class: 'stops',
    language: 'ruby',
    doc: `def read_config(path)
  begin
    █
  end
end
`,
    reply: `YAML.load_file(path)
  rescue Errno::ENOENT
    {}
  ensure
    log("read #{path}")`,
    after: `def read_config(path)
  begin
    YAML.load_file(path)
  rescue Errno::ENOENT
    {}
  ensure
    log("read #{path}")█
  end
end
`,
  },
  {
    id: 'rb-stops-03',
    class: 'stops',
    language: 'ruby',
    doc: `class Stack
  def initialize
    @items = []
  end

  def push(item)█
end
`,
    reply: `
    @items.push(item)

    self
  end`,
    after: `class Stack
  def initialize
    @items = []
  end

  def push(item)
    @items.push(item)

    self
  end█
end
`,
    note: 'A blank line inside the method is not its end; "end" closes it.',
  },
  {
    id: 'rb-stops-04',
    class: 'stops',
    language: 'ruby',
    doc: `def double(x)
  x * 2
end

def square(x)█
`,
    reply: `
  x * x
end

def cube(x)
  x * x * x
end`,
    after: `def double(x)
  x * 2
end

def square(x)
  x * x
end█
`,
  },
  {
    id: 'rb-stops-05',
    class: 'stops',
    language: 'ruby',
    doc: `def kind(x)
  case x
  █
  end
end
`,
    reply: `when Integer then "int"
  when String then "string"
  else "other"`,
    after: `def kind(x)
  case x
  when Integer then "int"
  when String then "string"
  else "other"█
  end
end
`,
  },
  // 3. overlap with the code after the cursor
  {
    id: 'rb-overlap-01',
    class: 'overlap',
    language: 'ruby',
    doc: `def area(w, h)
  █
  w * h
end
`,
    reply: `raise ArgumentError, "negative size" if w.negative? || h.negative?
  w * h`,
    after: `def area(w, h)
  raise ArgumentError, "negative size" if w.negative? || h.negative?█
  w * h
end
`,
  },
  {
    id: 'rb-overlap-02',
    class: 'overlap',
    language: 'ruby',
    doc: `def total(prices)
  sum = 0
  █
  sum
end
`,
    reply: `prices.each { |p| sum += p }
  sum;`,
    after: `def total(prices)
  sum = 0
  prices.each { |p| sum += p }█
  sum
end
`,
  },
  {
    id: 'rb-overlap-03',
    class: 'overlap',
    language: 'ruby',
    doc: `def main
  config = load
  █
  run(config)
end
`,
    reply: 'run(config)',
    after: null,
  },
  {
    id: 'rb-overlap-04',
    class: 'overlap',
    language: 'ruby',
    doc: `def each_valid(items)
  items.each do |item|
    next unless item.valid?
    █
  end
end
`,
    reply: `yield item
  end`,
    after: `def each_valid(items)
  items.each do |item|
    next unless item.valid?
    yield item█
  end
end
`,
    note: 'The "end" after the suggestion is the next line: not inserted twice.',
  },
  {
    id: 'rb-overlap-05',
    class: 'overlap',
    language: 'ruby',
    doc: `response = client.get(█, headers: headers)
`,
    reply: 'url, headers: headers)',
    after: `response = client.get(url█, headers: headers)
`,
  },
  // 4. repetition
  {
    id: 'rb-repetition-01',
    class: 'repetition',
    language: 'ruby',
    doc: `class User < ApplicationRecord
  █
end
`,
    reply: `has_many :posts
  has_many :posts
  has_many :posts
  has_many :posts
  has_many :posts`,
    after: `class User < ApplicationRecord
  has_many :posts█
end
`,
  },
  {
    id: 'rb-repetition-02',
    class: 'repetition',
    language: 'ruby',
    doc: `class User < ApplicationRecord
  █
end
`,
    reply: `has_many :posts
  has_many :comments
  belongs_to :team`,
    after: `class User < ApplicationRecord
  has_many :posts
  has_many :comments
  belongs_to :team█
end
`,
  },
  {
    id: 'rb-repetition-03',
    class: 'repetition',
    language: 'ruby',
    doc: `def poll
  █
end
`,
    reply: `sleep 0.1
  refresh
  sleep 0.1
  refresh
  sleep 0.1
  refresh
  sleep 0.1`,
    finishReason: 'length',
    after: `def poll
  sleep 0.1
  refresh█
end
`,
  },
  // 5. junk from the model
  {
    id: 'rb-junk-01',
    class: 'junk',
    language: 'ruby',
    doc: `def blank?(s)
  █
end
`,
    reply: fence('ruby', 's.nil? || s.strip.empty?'),
    templates: ['fim'],
    after: `def blank?(s)
  s.nil? || s.strip.empty?█
end
`,
  },
  {
    id: 'rb-junk-02',
    class: 'junk',
    language: 'ruby',
    doc: `█
class App; end
`,
    reply: `# Path: lib/app.rb
require "json"`,
    after: `require "json"█
class App; end
`,
  },
  {
    id: 'rb-junk-03',
    class: 'junk',
    language: 'ruby',
    doc: `def twice(x)
  █
end
`,
    reply: 'x * 2<|endoftext|>',
    chatReply: '<COMPLETION>x * 2</COMPLETION>',
    after: `def twice(x)
  x * 2█
end
`,
  },
  {
    id: 'rb-junk-04',
    class: 'junk',
    language: 'ruby',
    doc: `def main
  █
end
`,
    reply: '#',
    after: null,
  },
  {
    id: 'rb-junk-05',
    class: 'junk',
    language: 'ruby',
    doc: `def size(items)
  items█
end
`,
    reply: '.size',
    after: `def size(items)
  items.size█
end
`,
  },
  {
    id: 'rb-junk-06',
    class: 'junk',
    language: 'ruby',
    doc: `def main
  █
end
`,
    reply: '\u200bputs "ready"',
    after: `def main
  puts "ready"█
end
`,
  },
  // 6. whitespace at the cursor
  {
    id: 'rb-whitespace-01',
    class: 'whitespace',
    language: 'ruby',
    doc: `def main
  retries = █
end
`,
    reply: ' 3',
    after: `def main
  retries = 3█
end
`,
  },
  {
    id: 'rb-whitespace-02',
    class: 'whitespace',
    language: 'ruby',
    doc: `def check(value)
  if value.nil?
    █
  end
end
`,
    reply: `
    raise ArgumentError, "value is required"`,
    after: `def check(value)
  if value.nil?
    raise ArgumentError, "value is required"█
  end
end
`,
  },
  {
    id: 'rb-whitespace-03',
    class: 'whitespace',
    language: 'ruby',
    doc: `def name(user)
  return █
end
`,
    reply: '\tuser.first_name',
    after: `def name(user)
  return user.first_name█
end
`,
  },
  {
    id: 'rb-whitespace-04',
    class: 'whitespace',
    language: 'ruby',
    doc: `def name(user)
  █
end
`,
    reply: '  user.first_name',
    after: `def name(user)
  user.first_name█
end
`,
  },
  // 7. indentation
  {
    id: 'rb-indentation-01',
    class: 'indentation',
    language: 'ruby',
    doc: `require "json"

def main█`,
    reply: `
  ARGV.each do |arg|
    puts arg
  end
end`,
    after: `require "json"

def main
  ARGV.each do |arg|
    puts arg
  end
end█`,
    note: 'No indented line and no editor options: keep the model\'s 2-space steps (the Ruby convention).',
  },
  {
    id: 'rb-indentation-02',
    class: 'indentation',
    language: 'ruby',
    doc: `class Report
  def rows
    @rows ||= []
  end

  def add(row)█
end
`,
    reply: `
      rows << row
      self
  end`,
    after: `class Report
  def rows
    @rows ||= []
  end

  def add(row)
    rows << row
    self
  end█
end
`,
    note: 'The file steps by 2; the model stepped by 4 from the cursor line.',
  },
  {
    id: 'rb-indentation-03',
    class: 'indentation',
    language: 'ruby',
    doc: `def run
  █
end
`,
    reply: `system("rsync", "-a",
         source, target)`,
    after: `def run
  system("rsync", "-a",
         source, target)█
end
`,
    note: 'Arguments aligned under the call keep their column.',
  },
  // 8. completing a partly typed line
  {
    id: 'rb-partial-01',
    class: 'partial',
    language: 'ruby',
    doc: `def active_names(users)
  names = users.select(&:active?).█
end
`,
    reply: `map(&:name)
  puts names
  names`,
    after: `def active_names(users)
  names = users.select(&:active?).map(&:name)█
end
`,
  },
  {
    id: 'rb-partial-02',
    class: 'partial',
    language: 'ruby',
    doc: `def cost(price, quantity)
  total = price * █
end
`,
    reply: `quantity
  total`,
    chatReply: fence('ruby', 'total = price * quantity\n  total'),
    after: `def cost(price, quantity)
  total = price * quantity█
end
`,
  },
  {
    id: 'rb-partial-03',
    class: 'partial',
    language: 'ruby',
    doc: `def print_all(items)
  items.each do |item|█
end
`,
    reply: `
    puts item
  end
  nil`,
    after: `def print_all(items)
  items.each do |item|
    puts item
  end█
end
`,
    note: 'The line opens a block: the suggestion ends with that block.',
  },
  // 9. suggest-widget selection
  {
    id: 'rb-selection-01',
    class: 'selection',
    language: 'ruby',
    doc: `def hidden?(name)
  name.start█
end
`,
    reply: '_with?(".")',
    selected: { replace: 'start', text: 'start_with?' },
    after: `def hidden?(name)
  name.start_with?(".")█
end
`,
  },
  {
    id: 'rb-selection-02',
    class: 'selection',
    language: 'ruby',
    doc: `def clean(s)
  s.strip.down█
end
`,
    reply: 'case!',
    selected: { replace: 'down', text: 'downcase' },
    after: `def clean(s)
  s.strip.downcase!█
end
`,
    note: 'downcase! starts with the selected downcase: shown.',
  },
  {
    id: 'rb-selection-03',
    class: 'selection',
    language: 'ruby',
    doc: `def firsts(rows)
  rows.ma█
end
`,
    reply: 'x_by(&:size)',
    selected: { replace: 'ma', text: 'map' },
    after: null,
  },
  // Variations
  {
    id: 'rb-closers-06',
    class: 'closers',
    language: 'ruby',
    doc: `def tags(post)
  post.tags.map { |t| "█" }
end
`,
    reply: '#{t.name}" }.join(", ")',
    after: `def tags(post)
  post.tags.map { |t| "#{t.name}" }.join(", ")█
end
`,
  },
  {
    id: 'rb-stops-06',
    class: 'stops',
    language: 'ruby',
    doc: `def sign(n)
  if n.positive?█
end
`,
    reply: `
    "positive"
  else
    "not positive"
  end`,
    after: `def sign(n)
  if n.positive?
    "positive"
  else
    "not positive"
  end█
end
`,
  },
  {
    id: 'rb-overlap-06',
    class: 'overlap',
    language: 'ruby',
    doc: `def each_pair(items)
  items.each_slice(2) do |a, b|
    █
  end
end
`,
    reply: `yield a, b
  end
end`,
    after: `def each_pair(items)
  items.each_slice(2) do |a, b|
    yield a, b█
  end
end
`,
  },
  {
    id: 'rb-junk-07',
    class: 'junk',
    language: 'ruby',
    doc: `def main
  █
end
`,
    reply: 'run',
    chatReply: '```ruby\n  run\n```\n\nThis calls `run`.',
    after: `def main
  run█
end
`,
  },
  {
    id: 'rb-whitespace-05',
    class: 'whitespace',
    language: 'ruby',
    doc: `def main
  if ready
  █
  end
end
`,
    reply: '  start',
    after: `def main
  if ready
    start█
  end
end
`,
  },
  {
    id: 'rb-partial-04',
    class: 'partial',
    language: 'ruby',
    doc: `def admins(users)
  users.select █
end
`,
    reply: `{ |u| u.admin? }
  puts "done"`,
    after: `def admins(users)
  users.select { |u| u.admin? }█
end
`,
  },
  {
    id: 'rb-repetition-04',
    class: 'repetition',
    language: 'ruby',
    doc: `module Admin
  class Users
    def index
      █
    end
  end
end
`,
    reply: `if params[:all]
        users.each do |user|
          render user
        end
      end`,
    after: `module Admin
  class Users
    def index
      if params[:all]
        users.each do |user|
          render user
        end
      end█
    end
  end
end
`,
    note: 'Two "end" lines close the two blocks the suggestion opened: no repetition.',
  },
  {
    id: 'rb-partial-05',
    class: 'partial',
    language: 'ruby',
    doc: `def active_users(db)
  sql = <<~SQL█
end
`,
    reply: `
    SELECT *
    FROM users
    WHERE active
  SQL
  db.execute(sql)`,
    after: `def active_users(db)
  sql = <<~SQL
    SELECT *
    FROM users
    WHERE active
  SQL█
end
`,
    note: 'The statement is the heredoc: it ends with its terminator line.',
  },
  {
    id: 'rb-stops-07',
    class: 'stops',
    language: 'ruby',
    doc: `def label(n)
  case n█
end
`,
    reply: `
  when 0 then "none"
  when 1 then "one"
  else "many"
  end`,
    after: `def label(n)
  case n
  when 0 then "none"
  when 1 then "one"
  else "many"
  end█
end
`,
    note: '"when" sits at the column of "case" (the Ruby style): not a dedent out of the block.',
  },
];
