import type { CorpusCase } from '../format';
import { fence } from './text';

export const GO_CASES: readonly CorpusCase[] = [
  // 1. closers right of the cursor
  {
    id: 'go-closers-01',
    class: 'closers',
    language: 'go',
    doc: `func report(total int) {
\tfmt.Println(█)
}
`,
    reply: '"total:", total',
    after: `func report(total int) {
\tfmt.Println("total:", total█)
}
`,
  },
  {
    id: 'go-closers-02',
    class: 'closers',
    language: 'go',
    doc: `func (s *Server) Start(█)
`,
    reply: 'ctx context.Context) error {',
    after: `func (s *Server) Start(ctx context.Context) error {█
`,
  },
  {
    id: 'go-closers-03',
    class: 'closers',
    language: 'go',
    doc: `func serve(addr string) {
\tlog.Printf("listening on %s█")
}
`,
    reply: '", addr)',
    after: `func serve(addr string) {
\tlog.Printf("listening on %s", addr)█
}
`,
  },
  {
    id: 'go-closers-04',
    class: 'closers',
    language: 'go',
    doc: `func defaults() Config {
\treturn Config{█}
}
`,
    reply: `
\t\tHost: "localhost",
\t\tPort: 8080,
\t}`,
    after: `func defaults() Config {
\treturn Config{
\t\tHost: "localhost",
\t\tPort: 8080,
\t}█
}
`,
  },
  {
    id: 'go-closers-05',
    class: 'closers',
    language: 'go',
    doc: `func run(ctx context.Context) error {
\tif err := start(█); err != nil {
\t\treturn err
\t}
\treturn nil
}
`,
    reply: 'ctx); err != nil {',
    after: `func run(ctx context.Context) error {
\tif err := start(ctx█); err != nil {
\t\treturn err
\t}
\treturn nil
}
`,
  },
  // 2. where a multi-line suggestion stops
  {
    id: 'go-stops-01',
    class: 'stops',
    language: 'go',
    doc: `func parity(n int) string {
\tif n%2 == 0 {
\t\t█
\t}
}
`,
    reply: `return "even"
\t} else {
\t\treturn "odd"`,
    after: `func parity(n int) string {
\tif n%2 == 0 {
\t\treturn "even"
\t} else {
\t\treturn "odd"█
\t}
}
`,
    note: 'The model fills the middle so that the existing "}" closes its else.',
  },
  {
    id: 'go-stops-02',
    class: 'stops',
    language: 'go',
    doc: `package store

func (s *Store) Get(key string) (string, bool) {█`,
    reply: `
\ts.mu.RLock()
\tdefer s.mu.RUnlock()

\tvalue, ok := s.data[key]
\treturn value, ok
}`,
    after: `package store

func (s *Store) Get(key string) (string, bool) {
\ts.mu.RLock()
\tdefer s.mu.RUnlock()

\tvalue, ok := s.data[key]
\treturn value, ok
}█`,
  },
  {
    id: 'go-stops-03',
    class: 'stops',
    language: 'go',
    doc: `func kind(v any) string {
\tswitch v.(type) {█
}
`,
    reply: `
\tcase int:
\t\treturn "int"
\tcase string:
\t\treturn "string"
\tdefault:
\t\treturn "other"
\t}`,
    after: `func kind(v any) string {
\tswitch v.(type) {
\tcase int:
\t\treturn "int"
\tcase string:
\t\treturn "string"
\tdefault:
\t\treturn "other"
\t}█
}
`,
  },
  {
    id: 'go-stops-04',
    class: 'stops',
    language: 'go',
    doc: `func abs(n int) int {█
`,
    reply: `
\tif n < 0 {
\t\treturn -n
\t}
\treturn n
}

func max(a, b int) int {
\tif a > b {`,
    after: `func abs(n int) int {
\tif n < 0 {
\t\treturn -n
\t}
\treturn n
}█
`,
  },
  {
    id: 'go-stops-05',
    class: 'stops',
    language: 'go',
    doc: `func grade(score int) string {
\tif score >= 90 {
\t\t█
\t}
\treturn "C"
}
`,
    reply: `return "A"
\t} else if score >= 80 {
\t\treturn`,
    finishReason: 'length',
    after: `func grade(score int) string {
\tif score >= 90 {
\t\treturn "A"█
\t}
\treturn "C"
}
`,
  },
  // 3. overlap with the code after the cursor
  {
    id: 'go-overlap-01',
    class: 'overlap',
    language: 'go',
    doc: `func open(path string) (*os.File, error) {
\t█
\treturn os.Open(path)
}
`,
    reply: `if path == "" {
\t\treturn nil, errors.New("empty path")
\t}
\treturn os.Open(path)`,
    after: `func open(path string) (*os.File, error) {
\tif path == "" {
\t\treturn nil, errors.New("empty path")
\t}█
\treturn os.Open(path)
}
`,
  },
  {
    id: 'go-overlap-02',
    class: 'overlap',
    language: 'go',
    doc: `func sum(xs []int) int {
\ttotal := 0
\t█
\treturn total
}
`,
    reply: `for _, x := range xs {
\t\ttotal += x
\t}
\treturn total;`,
    after: `func sum(xs []int) int {
\ttotal := 0
\tfor _, x := range xs {
\t\ttotal += x
\t}█
\treturn total
}
`,
    note: 'The last line is the next line with a stray ";".',
  },
  {
    id: 'go-overlap-03',
    class: 'overlap',
    language: 'go',
    doc: `func main() {
\tcfg := load()
\t█
\tserve(cfg)
}
`,
    reply: 'serve(cfg)',
    after: null,
  },
  {
    id: 'go-overlap-04',
    class: 'overlap',
    language: 'go',
    doc: `func walk(nodes []*Node) {
\tfor _, n := range nodes {
\t\tif n.Skip {█
\t}
}
`,
    reply: `
\t\t\tcontinue
\t\t}`,
    after: `func walk(nodes []*Node) {
\tfor _, n := range nodes {
\t\tif n.Skip {
\t\t\tcontinue
\t\t}█
\t}
}
`,
    note: 'The "}" below closes the for loop: the suggestion keeps the closer of its if.',
  },
  {
    id: 'go-overlap-05',
    class: 'overlap',
    language: 'go',
    doc: `resp, err := client.Do(█, opts)
`,
    reply: 'req, opts)',
    after: `resp, err := client.Do(req█, opts)
`,
  },
  // 4. repetition
  {
    id: 'go-repetition-01',
    class: 'repetition',
    language: 'go',
    doc: `func cleanup() {
\tdefer wg.Done()
\t█
}
`,
    reply: `log.Println("cleanup done")
\tlog.Println("cleanup done")
\tlog.Println("cleanup done")
\tlog.Println("cleanup done")
\tlog.Println("cleanup done")`,
    after: `func cleanup() {
\tdefer wg.Done()
\tlog.Println("cleanup done")█
}
`,
  },
  {
    id: 'go-repetition-02',
    class: 'repetition',
    language: 'go',
    doc: `var tests = []struct {
\tin   string
\twant int
}{
\t█
}
`,
    reply: `{"1", 1},
\t{"22", 22},
\t{"-3", -3},`,
    after: `var tests = []struct {
\tin   string
\twant int
}{
\t{"1", 1},
\t{"22", 22},
\t{"-3", -3},█
}
`,
    note: 'Table entries of the same shape are no repetition.',
  },
  {
    id: 'go-repetition-03',
    class: 'repetition',
    language: 'go',
    doc: `func (c *Conn) Close() error {
\t█
}
`,
    reply: `c.mu.Lock()
\tdefer c.mu.Unlock()
\tc.mu.Lock()
\tdefer c.mu.Unlock()
\tc.mu.Lock()
\tdefer c.mu.Unlock()
\tc.mu.Lock()`,
    finishReason: 'length',
    after: `func (c *Conn) Close() error {
\tc.mu.Lock()
\tdefer c.mu.Unlock()█
}
`,
  },
  // 5. junk from the model
  {
    id: 'go-junk-01',
    class: 'junk',
    language: 'go',
    doc: `func isEmpty(s string) bool {
\t█
}
`,
    reply: fence('go', 'return len(s) == 0'),
    templates: ['fim'],
    after: `func isEmpty(s string) bool {
\treturn len(s) == 0█
}
`,
  },
  {
    id: 'go-junk-02',
    class: 'junk',
    language: 'go',
    doc: `package main

█
`,
    reply: `// Path: cmd/app/main.go
import "fmt"`,
    after: `package main

import "fmt"█
`,
  },
  {
    id: 'go-junk-03',
    class: 'junk',
    language: 'go',
    doc: `func half(n int) int {
\treturn █
}
`,
    reply: 'n / 2<|endoftext|>',
    chatReply: '<COMPLETION>n / 2</COMPLETION>',
    after: `func half(n int) int {
\treturn n / 2█
}
`,
  },
  {
    id: 'go-junk-04',
    class: 'junk',
    language: 'go',
    doc: `func main() {
\t█
}
`,
    reply: '\u200b\u200bfmt.Println("ready")',
    after: `func main() {
\tfmt.Println("ready")█
}
`,
  },
  {
    id: 'go-junk-05',
    class: 'junk',
    language: 'go',
    doc: `func main() {
\t█
}
`,
    reply: '.',
    after: null,
    note: 'A lone "." at the start of a statement is no code.',
  },
  {
    id: 'go-junk-06',
    class: 'junk',
    language: 'go',
    doc: `func count(xs []string) int {
\treturn len(xs) █
}
`,
    reply: '- 1',
    after: `func count(xs []string) int {
\treturn len(xs) - 1█
}
`,
  },
  // 6. whitespace at the cursor
  {
    id: 'go-whitespace-01',
    class: 'whitespace',
    language: 'go',
    doc: `func main() {
\tlimit := █
}
`,
    reply: ' 100',
    after: `func main() {
\tlimit := 100█
}
`,
  },
  {
    id: 'go-whitespace-02',
    class: 'whitespace',
    language: 'go',
    doc: `func wrap(err error) error {
\treturn █
}
`,
    reply: '  fmt.Errorf("load: %w", err)',
    after: `func wrap(err error) error {
\treturn fmt.Errorf("load: %w", err)█
}
`,
  },
  {
    id: 'go-whitespace-03',
    class: 'whitespace',
    language: 'go',
    doc: `func check(err error) {
\tif err != nil {
\t\t█
\t}
}
`,
    reply: `
\t\tpanic(err)`,
    after: `func check(err error) {
\tif err != nil {
\t\tpanic(err)█
\t}
}
`,
  },
  {
    id: 'go-whitespace-04',
    class: 'whitespace',
    language: 'go',
    doc: `func check(err error) {
\t█
}
`,
    reply: '\tif err != nil {\n\t\tpanic(err)\n\t}',
    after: `func check(err error) {
\tif err != nil {
\t\tpanic(err)
\t}█
}
`,
  },
  // 7. indentation
  {
    id: 'go-indentation-01',
    class: 'indentation',
    language: 'go',
    doc: `package main

func main() {█`,
    reply: `
    for i := 0; i < 3; i++ {
        fmt.Println(i)
    }
}`,
    formatting: { tabSize: 4, insertSpaces: false },
    after: `package main

func main() {
\tfor i := 0; i < 3; i++ {
\t\tfmt.Println(i)
\t}
}█`,
  },
  {
    id: 'go-indentation-02',
    class: 'indentation',
    language: 'go',
    doc: `func load() error {
\tdata, err := read()
\tif err != nil {
\t\treturn err
\t}
\tfor _, item := range data {█
}
`,
    reply: `
        if item.Valid() {
            store(item)
        }
    }`,
    after: `func load() error {
\tdata, err := read()
\tif err != nil {
\t\treturn err
\t}
\tfor _, item := range data {
\t\tif item.Valid() {
\t\t\tstore(item)
\t\t}
\t}█
}
`,
    note: 'A tab-indented file: the model\'s spaces become tabs.',
  },
  {
    id: 'go-indentation-03',
    class: 'indentation',
    language: 'go',
    doc: `func handler(w http.ResponseWriter, r *http.Request) {
\tswitch r.Method {
\tcase http.MethodGet:
\t\tif r.URL.Query().Has("id") {
\t\t\tid := r.URL.Query().Get("id")█
}
`,
    reply: `
\t\t\titem, err := find(id)
\t\t\tif err != nil {
\t\t\t\thttp.Error(w, err.Error(), http.StatusNotFound)
\t\t\t\treturn
\t\t\t}`,
    after: `func handler(w http.ResponseWriter, r *http.Request) {
\tswitch r.Method {
\tcase http.MethodGet:
\t\tif r.URL.Query().Has("id") {
\t\t\tid := r.URL.Query().Get("id")
\t\t\titem, err := find(id)
\t\t\tif err != nil {
\t\t\t\thttp.Error(w, err.Error(), http.StatusNotFound)
\t\t\t\treturn
\t\t\t}█
}
`,
    note: 'Already in the file\'s style: nothing to change.',
  },
  // 8. completing a partly typed line
  {
    id: 'go-partial-01',
    class: 'partial',
    language: 'go',
    doc: `func parse(s string) (int, error) {
\tn, err := strconv.█
}
`,
    reply: `Atoi(s)
\tif err != nil {
\t\treturn 0, err
\t}
\treturn n, nil`,
    after: `func parse(s string) (int, error) {
\tn, err := strconv.Atoi(s)█
}
`,
  },
  {
    id: 'go-partial-02',
    class: 'partial',
    language: 'go',
    doc: `func price(qty int, unit float64) float64 {
\ttotal := float64(qty) * █
}
`,
    reply: `unit
\treturn total`,
    after: `func price(qty int, unit float64) float64 {
\ttotal := float64(qty) * unit█
}
`,
  },
  {
    id: 'go-partial-03',
    class: 'partial',
    language: 'go',
    doc: `func names(users []User) []string {
\tout := make([]string, 0, len(users))
\tfor _, u := range users {█
}
`,
    reply: `
\t\tout = append(out, u.Name)
\t}`,
    after: `func names(users []User) []string {
\tout := make([]string, 0, len(users))
\tfor _, u := range users {
\t\tout = append(out, u.Name)
\t}█
}
`,
  },
  // 9. suggest-widget selection
  {
    id: 'go-selection-01',
    class: 'selection',
    language: 'go',
    doc: `func private(name string) bool {
\treturn strings.Has█
}
`,
    reply: 'Prefix(name, "_")',
    selected: { replace: 'Has', text: 'HasPrefix' },
    after: `func private(name string) bool {
\treturn strings.HasPrefix(name, "_")█
}
`,
  },
  {
    id: 'go-selection-02',
    class: 'selection',
    language: 'go',
    doc: `func isGo(name string) bool {
\treturn strings.Has█
}
`,
    reply: 'Prefix(name, ".go")',
    selected: { replace: 'Has', text: 'HasSuffix' },
    after: null,
  },
  {
    id: 'go-selection-03',
    class: 'selection',
    language: 'go',
    doc: `func label(n int) string {
\treturn fmt.█
}
`,
    reply: 'Sprintf("item %d", n)',
    selected: { replace: '', text: 'Sprintf' },
    after: `func label(n int) string {
\treturn fmt.Sprintf("item %d", n)█
}
`,
  },
  // Variations
  {
    id: 'go-closers-06',
    class: 'closers',
    language: 'go',
    doc: `func main() {
\tfmt.Println(strings.Join(█))
}
`,
    reply: 'parts, ", "))',
    after: `func main() {
\tfmt.Println(strings.Join(parts, ", "))█
}
`,
  },
  {
    id: 'go-stops-06',
    class: 'stops',
    language: 'go',
    doc: `func handle(err error) {
\tif errors.Is(err, io.EOF) {█
}
`,
    reply: `
\t\treturn
\t} else if err != nil {
\t\tlog.Fatal(err)
\t}
\tlog.Println("done")`,
    after: `func handle(err error) {
\tif errors.Is(err, io.EOF) {
\t\treturn
\t} else if err != nil {
\t\tlog.Fatal(err)
\t}█
}
`,
  },
  {
    id: 'go-overlap-06',
    class: 'overlap',
    language: 'go',
    doc: `func main() {
\tdefer db.Close()
\t█
\tserve()
\tlog.Println("bye")
}
`,
    reply: `migrate(db)
\tserve()
\tlog.Println("bye")`,
    after: `func main() {
\tdefer db.Close()
\tmigrate(db)█
\tserve()
\tlog.Println("bye")
}
`,
  },
  {
    id: 'go-repetition-04',
    class: 'repetition',
    language: 'go',
    doc: `func check(err error) {
\tif err != nil {
\t\tpanic(err)
\t}
}

func main() {
\t█
}
`,
    reply: `check(a())
\tcheck(b())
\tcheck(c())`,
    after: `func check(err error) {
\tif err != nil {
\t\tpanic(err)
\t}
}

func main() {
\tcheck(a())
\tcheck(b())
\tcheck(c())█
}
`,
    note: 'Calls of the same shape with different arguments are no repetition.',
  },
  {
    id: 'go-junk-07',
    class: 'junk',
    language: 'go',
    doc: `func main() {
\t█
}
`,
    reply: '~~~go\nfmt.Println("hi")\n~~~',
    templates: ['fim'],
    after: `func main() {
\tfmt.Println("hi")█
}
`,
    note: 'A tilde fence.',
  },
  {
    id: 'go-whitespace-05',
    class: 'whitespace',
    language: 'go',
    doc: `func f() {
\tx := compute()█
}
`,
    reply: '\n\tuse(x)',
    after: `func f() {
\tx := compute()
\tuse(x)█
}
`,
  },
  {
    id: 'go-indentation-04',
    class: 'indentation',
    language: 'go',
    doc: `func wait(done chan struct{}) {
\tfor {█
}
`,
    reply: `
    select {
    case <-done:
      return
    }
  }`,
    formatting: { tabSize: 4, insertSpaces: false },
    after: `func wait(done chan struct{}) {
\tfor {
\t\tselect {
\t\tcase <-done:
\t\t\treturn
\t\t}
\t}█
}
`,
    note: 'The model steps by 2 spaces (its closer sits one step in, like the cursor line); the editor wants tabs.',
  },
  {
    id: 'go-partial-04',
    class: 'partial',
    language: 'go',
    doc: `func main() {
\tdata, err := os.ReadFile(path)█
}
`,
    reply: `
\tif err != nil {
\t\tlog.Fatal(err)
\t}`,
    after: `func main() {
\tdata, err := os.ReadFile(path)
\tif err != nil {
\t\tlog.Fatal(err)
\t}█
}
`,
    note: 'The line is finished; an answer on the next lines is a new statement and may be shown whole.',
  },
  {
    id: 'go-selection-04',
    class: 'selection',
    language: 'go',
    doc: `func main() {
\tfmt.Print█
}
`,
    reply: 'ln("hi")',
    selected: { replace: 'Print', text: 'Printf' },
    after: null,
  },
  {
    id: 'go-stops-07',
    class: 'stops',
    language: 'go',
    doc: `func wait(ctx context.Context, done <-chan struct{}) error {
\tselect {█
}
`,
    reply: `
\tcase <-done:
\t\treturn nil

\tcase <-ctx.Done():
\t\treturn ctx.Err()
\t}`,
    after: `func wait(ctx context.Context, done <-chan struct{}) error {
\tselect {
\tcase <-done:
\t\treturn nil

\tcase <-ctx.Done():
\t\treturn ctx.Err()
\t}█
}
`,
    note: 'gofmt puts "case" at the column of "select"; a blank line between cases is not the end.',
  },
  {
    id: 'go-indentation-05',
    class: 'indentation',
    language: 'go',
    doc: `func main() {
\tfor i := range 3 {█
}
`,
    reply: `
\t\tfmt.Println(i)
\t}`,
    formatting: { tabSize: 8, insertSpaces: false },
    after: `func main() {
\tfor i := range 3 {
\t\tfmt.Println(i)
\t}█
}
`,
    note: 'Tabs already, whatever their width: nothing to change.',
  },
  {
    id: 'go-overlap-07',
    class: 'overlap',
    language: 'go',
    doc: `func main() {
\tx := 1
\t█
}
`,
    reply: `x := 1
\ty := 2`,
    after: `func main() {
\tx := 1
\ty := 2█
}
`,
    note: 'The answer starts by repeating the line before the cursor.',
  },
  {
    id: 'go-stops-08',
    class: 'stops',
    language: 'go',
    doc: `func parity(n int) string {
\tif n%2 == 0 {
\t\t█
\t}
}
`,
    reply: `return "even"
\t} else {
\t\treturn "odd"
\t}`,
    after: `func parity(n int) string {
\tif n%2 == 0 {
\t\treturn "even"
\t} else {
\t\treturn "odd"█
\t}
}
`,
    note: 'As go-stops-01, but the model also wrote the final "}" that is already below.',
  },
  {
    id: 'go-indentation-06',
    class: 'indentation',
    language: 'go',
    doc: `func main() {
\tif ok {
\t\tstart()
\t}
}

func stop() {
█
}
`,
    reply: '    cancel()',
    after: `func main() {
\tif ok {
\t\tstart()
\t}
}

func stop() {
\tcancel()█
}
`,
    note: 'At column 0 in a tab-indented file: the model\'s 4 spaces are one tab.',
  },
];
