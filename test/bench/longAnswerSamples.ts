/**
 * What the long chat-benchmark answer (longAnswer.ts) is made of: the words
 * its sentences and code use, and the code-block templates, one per language,
 * which vary names and numbers with the writer's seeded picks.
 */

/** The seeded choices a template draws on (longAnswer's Writer). */
export interface TemplateWriter {
  pick<T>(items: readonly T[]): T;
  int(min: number, max: number): number;
}

export const NOUNS = ['handler', 'client', 'service', 'queue', 'worker', 'session', 'request', 'response', 'buffer', 'token', 'record', 'schema', 'cursor', 'timeout', 'payload', 'listener'];
export const VERBS = ['validates', 'returns', 'retries', 'closes', 'parses', 'streams', 'flushes', 'rejects', 'records', 'emits', 'caches', 'schedules'];
export const ADJECTIVES = ['small', 'explicit', 'idempotent', 'bounded', 'typed', 'lazy', 'shared', 'stable', 'cheap', 'separate', 'strict', 'simple'];
export const IDENTIFIERS = ['parseConfig', 'withRetry', 'openPool', 'readChunk', 'flushQueue', 'validateInput', 'startServer', 'closeGracefully', 'nextPage', 'loadUser', 'hashToken', 'emitMetric'];

export type CodeTemplate = (w: TemplateWriter, n: number) => [lang: string, body: string];

export const CODE_TEMPLATES: CodeTemplate[] = [
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
