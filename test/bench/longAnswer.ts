/**
 * A long, realistic markdown answer for the chat benchmark, generated
 * deterministically (seeded PRNG): an opening sentence, then sections with
 * headings, prose with inline code, bold and links, bullet and numbered lists
 * (some nested), blockquotes, tables, and many fenced code blocks in a dozen
 * languages, ending in a closing sentence that marks the end.
 *
 * Its size is counted with the scripted model server's own tokenizer
 * (`tokenize` in test/support/openaiWire.ts: one SSE chunk per token), and
 * padded to exactly the requested number of tokens.
 */
import { tokenize } from '../support/openaiWire';
import { seededRandom } from '../support/random';

export interface LongAnswer {
  text: string;
  /** Exactly the requested count: the number of SSE content chunks the model server will send. */
  tokens: number;
  /** The last sentence; seeing it rendered means the end of the answer arrived. */
  endMarker: string;
  stats: { headings: number; codeBlocks: number; tables: number; lists: number; blockquotes: number; languages: string[] };
}

const prng = seededRandom;

const TOPICS = [
  'request validation', 'retry policy', 'connection pooling', 'streaming responses', 'cache invalidation', 'configuration loading',
  'structured logging', 'graceful shutdown', 'rate limiting', 'database migrations', 'background jobs', 'feature flags',
  'error reporting', 'pagination', 'authentication', 'input sanitising', 'health checks', 'metrics export',
];

const NOUNS = ['handler', 'client', 'service', 'queue', 'worker', 'session', 'request', 'response', 'buffer', 'token', 'record', 'schema', 'cursor', 'timeout', 'payload', 'listener'];
const VERBS = ['validates', 'returns', 'retries', 'closes', 'parses', 'streams', 'flushes', 'rejects', 'records', 'emits', 'caches', 'schedules'];
const ADJECTIVES = ['small', 'explicit', 'idempotent', 'bounded', 'typed', 'lazy', 'shared', 'stable', 'cheap', 'separate', 'strict', 'simple'];
const IDENTIFIERS = ['parseConfig', 'withRetry', 'openPool', 'readChunk', 'flushQueue', 'validateInput', 'startServer', 'closeGracefully', 'nextPage', 'loadUser', 'hashToken', 'emitMetric'];

class Writer {
  private readonly random: () => number;
  /** Code blocks written so far (also those of a section later left out): picks the next template. */
  private codeBlocks = 0;

  constructor(seed: number) {
    this.random = prng(seed);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  sentence(): string {
    const noun = this.pick(NOUNS);
    const forms = [
      () => `The ${this.pick(ADJECTIVES)} ${noun} ${this.pick(VERBS)} the ${this.pick(NOUNS)} before the caller sees it.`,
      () => `Call \`${this.pick(IDENTIFIERS)}()\` once per ${noun}, not once per ${this.pick(NOUNS)}.`,
      () => `This keeps the **${this.pick(ADJECTIVES)}** path fast and the rare path ${this.pick(ADJECTIVES)}.`,
      () => `See the [${noun} reference](https://example.com/docs/${noun}) for every option the ${noun} accepts.`,
      () => `If the ${noun} fails, it ${this.pick(VERBS)} the error with enough context to act on it.`,
      () => `Prefer the ${this.pick(ADJECTIVES)} ${noun} over a clever one; the next reader will thank you.`,
      () => `In tests, replace the ${noun} with a fake that ${this.pick(VERBS)} a fixed ${this.pick(NOUNS)}.`,
      () => `Note that \`${noun}.${this.pick(IDENTIFIERS)}\` is *not* safe to call from two threads at once.`,
    ];
    return this.pick(forms)();
  }

  paragraph(min = 3, max = 6): string {
    return Array.from({ length: this.int(min, max) }, () => this.sentence()).join(' ');
  }

  bulletList(): string {
    const items = Array.from({ length: this.int(3, 6) }, () => `- ${this.sentence()}`);
    if (this.random() < 0.4) {
      items.splice(1, 0, `- **${this.pick(NOUNS)}**: ${this.sentence()}\n  - ${this.sentence()}\n  - ${this.sentence()}`);
    }
    return items.join('\n');
  }

  numberedList(): string {
    return Array.from({ length: this.int(3, 5) }, (_, i) => `${i + 1}. ${this.sentence()} Then run \`${this.pick(IDENTIFIERS)}\`.`).join('\n');
  }

  table(): string {
    const rows = Array.from({ length: this.int(4, 8) }, () => {
      const name = this.pick(IDENTIFIERS);
      return `| \`${name}\` | ${this.pick(['string', 'number', 'boolean', 'Duration', 'string[]'])} | \`${this.int(1, 500)}\` | ${this.sentence()} |`;
    });
    return ['| Option | Type | Default | Meaning |', '|---|---|---:|---|', ...rows].join('\n');
  }

  blockquote(): string {
    return `> **Note:** ${this.sentence()}\n> ${this.sentence()}`;
  }

  codeBlock(section: number): string {
    // Round robin, so every language appears; the templates vary names and numbers.
    const [lang, body] = (CODE[this.codeBlocks % CODE.length] as CodeTemplate)(this, section);
    this.codeBlocks++;
    return `\`\`\`${lang}\n${body.trim()}\n\`\`\``;
  }

  section(index: number): string {
    const topic = TOPICS[index % TOPICS.length] as string;
    const parts = [`## ${index + 1}. ${topic[0]?.toUpperCase()}${topic.slice(1)}`, this.paragraph()];
    const extras = [
      () => this.codeBlock(index),
      () => this.codeBlock(index),
      () => this.bulletList(),
      () => this.numberedList(),
      () => this.table(),
      () => this.blockquote(),
      () => `### Why it matters\n\n${this.paragraph(2, 4)}`,
      () => this.paragraph(2, 5),
    ];
    for (let i = this.int(4, 6); i > 0; i--) {
      parts.push(this.pick(extras)());
    }
    parts.push(this.codeBlock(index), this.paragraph(1, 3));
    return parts.join('\n\n');
  }
}

type CodeTemplate = (w: Writer, n: number) => [lang: string, body: string];

const CODE: CodeTemplate[] = [
  (w, n) => [
    'ts',
    `
import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryOptions${n} {
  attempts: number;
  baseDelayMs: number;
  retryable?: (error: unknown) => boolean;
}

/** Calls \`task\` until it succeeds or the attempts run out, backing off exponentially. */
export async function ${w.pick(IDENTIFIERS)}${n}<T>(task: () => Promise<T>, options: RetryOptions${n}): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < options.attempts; attempt++) {
    try {
      return await task();
    } catch (error) {
      lastError = error;
      if (options.retryable && !options.retryable(error)) {
        throw error;
      }
      const jitter = Math.random() * ${w.int(10, 90)};
      await sleep(options.baseDelayMs * 2 ** attempt + jitter);
    }
  }
  throw new Error(\`gave up after \${options.attempts} attempts\`, { cause: lastError });
}
`,
  ],
  (w, n, noun = w.pick(NOUNS)) => [
    'python',
    `
from dataclasses import dataclass, field
from typing import Iterator


@dataclass
class Page${n}:
    items: list[dict] = field(default_factory=list)
    cursor: str | None = None


def iterate_${noun}s(client, page_size: int = ${w.int(10, 200)}) -> Iterator[dict]:
    """Yields every item, fetching one page at a time."""
    cursor = None
    while True:
        page = client.fetch(limit=page_size, cursor=cursor)
        yield from page.items
        if not page.cursor:
            break
        cursor = page.cursor


if __name__ == "__main__":
    for item in iterate_${noun}s(FakeClient()):
        print(item["id"], item.get("name", "<unnamed>"))
`,
  ],
  (w, n) => [
    'rust',
    `
use std::time::{Duration, Instant};

/// A token bucket for each ${w.pick(NOUNS)}: \`capacity\` requests at once, refilled at \`rate\` per second.
pub struct Bucket${n} {
    capacity: f64,
    tokens: f64,
    rate: f64,
    last: Instant,
}

impl Bucket${n} {
    pub fn new(capacity: f64, rate: f64) -> Self {
        Self { capacity, tokens: capacity, rate, last: Instant::now() }
    }

    pub fn try_take(&mut self) -> Result<(), Duration> {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.last).as_secs_f64() * self.rate).min(self.capacity);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / self.rate))
        }
    }
}
`,
  ],
  (w, n) => [
    'go',
    `
package ${w.pick(NOUNS)}

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Shutdown${n} stops accepting requests and waits for the running ones.
func Shutdown${n}(srv *http.Server, grace time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
`,
  ],
  (w, n) => [
    'bash',
    `
#!/usr/bin/env bash
set -euo pipefail

# Run the migrations for environment ${n}, then check the service answers.
export DATABASE_URL="postgres://app@localhost:5432/app_${n}"
npx prisma migrate deploy
for attempt in $(seq 1 ${w.int(3, 9)}); do
  if curl -fsS "http://127.0.0.1:8080/healthz" >/dev/null; then
    echo "healthy after $attempt attempt(s)"
    exit 0
  fi
  sleep 1
done
echo "service did not become healthy" >&2
exit 1
`,
  ],
  (w, n) => [
    'json',
    `
{
  "name": "${w.pick(NOUNS)}-${n}",
  "version": "1.${w.int(0, 20)}.0",
  "retry": { "attempts": ${w.int(2, 6)}, "baseDelayMs": ${w.int(50, 500)}, "retryOn": [429, 500, 502, 503] },
  "pool": { "min": 2, "max": ${w.int(8, 64)}, "idleTimeoutMs": 30000 },
  "logging": { "level": "info", "redact": ["authorization", "cookie", "password"] },
  "features": { "streaming": true, "compression": false }
}
`,
  ],
  (w, n) => [
    'sql',
    `
-- Paginate ${w.pick(NOUNS)}s by keyset, newest first (stable under inserts).
CREATE INDEX IF NOT EXISTS idx_events_${n}_created ON events (created_at DESC, id DESC);

SELECT id, kind, payload, created_at
FROM events
WHERE (created_at, id) < (:cursor_created_at, :cursor_id)
  AND kind IN ('created', 'updated', 'deleted')
ORDER BY created_at DESC, id DESC
LIMIT ${w.int(20, 100)};
`,
  ],
  (w, n) => [
    'yaml',
    `
# Deployment ${n}: two replicas with probes and resource limits.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${w.pick(NOUNS)}-${n}
spec:
  replicas: ${w.int(2, 5)}
  template:
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1.${n}.0
          readinessProbe:
            httpGet: { path: /healthz, port: 8080 }
            periodSeconds: 5
          resources:
            limits: { cpu: "500m", memory: "256Mi" }
`,
  ],
  (w, n) => [
    'java',
    `
public final class Cache${n}<K, V> {
    private final Map<K, V> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final int capacity;

    public Cache${n}(int capacity) {
        this.capacity = capacity;
    }

    public synchronized Optional<V> get(K key) {
        return Optional.ofNullable(entries.get(key));
    }

    public synchronized void put(K key, V value) {
        entries.put(key, value);
        if (entries.size() > capacity) {
            K eldest = entries.keySet().iterator().next();
            entries.remove(eldest); // evicts the ${w.pick(ADJECTIVES)} entry
        }
    }
}
`,
  ],
  (w, n) => [
    'diff',
    `
--- a/src/${w.pick(NOUNS)}.ts
+++ b/src/${w.pick(NOUNS)}.ts
@@ -${n},7 +${n},9 @@ export async function handle(request: Request): Promise<Response> {
-  const body = await request.json();
-  return process(body);
+  const body: unknown = await request.json().catch(() => undefined);
+  if (!isValid(body)) {
+    return new Response('invalid body', { status: 400 });
+  }
+  return process(body);
 }
`,
  ],
  (w, n) => [
    'css',
    `
/* Layout ${n}: a sidebar that collapses on narrow screens. */
.layout-${n} {
  display: grid;
  grid-template-columns: minmax(${w.int(180, 260)}px, 1fr) 3fr;
  gap: 1rem;
}

@media (max-width: 640px) {
  .layout-${n} {
    grid-template-columns: 1fr;
  }
}
`,
  ],
  (w, n) => [
    'cpp',
    `
#include <mutex>
#include <queue>
#include <optional>

template <typename T>
class Queue${n} {
 public:
  void push(T value) {
    std::lock_guard<std::mutex> lock(mutex_);
    items_.push(std::move(value));
  }

  std::optional<T> try_pop() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (items_.empty()) return std::nullopt;
    T value = std::move(items_.front());
    items_.pop();
    return value;  // ${w.pick(ADJECTIVES)} and thread-safe
  }

 private:
  std::mutex mutex_;
  std::queue<T> items_;
};
`,
  ],
];

const FILLER = ['keep', 'it', 'simple', 'and', 'keep', 'it', 'fast'];

const OPENING = 'Here is a complete walkthrough, section by section, with the code for each step.';

/** The answer, exactly `targetTokens` tokens long (as the scripted model server counts them). */
export function longAnswer(targetTokens = 20_000, seed = 20_000): LongAnswer {
  const writer = new Writer(seed);
  const endMarker = `That is the end of the walkthrough (${targetTokens} tokens).`;
  // Sections until close to the target; the rest is filled word by word in the closing paragraph.
  let body = `${OPENING}\n\n`;
  let bodyTokens = tokenize(body).length;
  for (let index = 0; ; index++) {
    const section = `${writer.section(index)}\n\n`;
    const sectionTokens = tokenize(section).length;
    if (bodyTokens + sectionTokens + 60 > targetTokens) {
      break;
    }
    body += section;
    bodyTokens += sectionTokens;
  }
  // A recap of real sentences while they fit, then one-token words up to the exact count.
  const recap = (sentences: string[], fillers: string[]): string => {
    const paragraphs: string[] = [];
    for (let i = 0; i < sentences.length; i += 4) {
      paragraphs.push(sentences.slice(i, i + 4).join(' '));
    }
    paragraphs.push(`In short${fillers.map((word) => ` ${word}`).join('')}. ${endMarker}`);
    return `## Recap\n\n${paragraphs.join('\n\n')}`;
  };
  const sentences: string[] = [];
  for (;;) {
    const next = writer.sentence();
    if (bodyTokens + tokenize(recap([...sentences, next], [])).length > targetTokens - 8) {
      break;
    }
    sentences.push(next);
  }
  // Each filler is one token: a short word after a space.
  const fillerCount = targetTokens - bodyTokens - tokenize(recap(sentences, [])).length;
  const fillers = Array.from({ length: fillerCount }, (_, i) => FILLER[i % FILLER.length] as string);
  const text = `${body}${recap(sentences, fillers)}`;
  const tokens = tokenize(text).length;
  if (tokens !== targetTokens) {
    throw new Error(`longAnswer: generated ${tokens} tokens, wanted ${targetTokens}`);
  }
  return { text, tokens, endMarker, stats: markdownStats(text) };
}

/** What the markdown holds, counted from the text itself (top-level constructs, as generated here). */
export function markdownStats(text: string): LongAnswer['stats'] {
  const lines = text.split('\n');
  const languages = new Set<string>();
  const stats = { headings: 0, codeBlocks: 0, tables: 0, lists: 0, blockquotes: 0 };
  let inFence = false;
  let previous = '';
  for (const line of lines) {
    if (line.startsWith('```')) {
      if (!inFence) {
        stats.codeBlocks++;
        languages.add(line.slice(3).trim() || 'text');
      }
      inFence = !inFence;
    } else if (!inFence) {
      const startsBlock = previous.trim() === '';
      if (/^#{1,6} /.test(line)) stats.headings++;
      else if (/^\|[-:| ]+\|$/.test(line)) stats.tables++;
      else if (startsBlock && /^(?:[-*+]|\d+[.)]) /.test(line)) stats.lists++;
      else if (startsBlock && line.startsWith('>')) stats.blockquotes++;
    }
    previous = line;
  }
  return { ...stats, languages: [...languages].sort() };
}
