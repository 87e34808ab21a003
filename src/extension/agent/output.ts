/**
 * Command output for the agent: the beginning (how it started, the first
 * error) and the end (the summary, the exit) matter; the middle is dropped
 * with a marker saying how much. Kept bounded while it streams.
 */
export const HEAD_CHARS = 4 * 1024;
export const TAIL_CHARS = 8 * 1024;

export function truncateOutput(text: string, head = HEAD_CHARS, tail = TAIL_CHARS): string {
  if (text.length <= head + tail) {
    return text;
  }
  return joinParts(text.slice(0, head), text.length - head - tail, text.slice(text.length - tail));
}

/** Collects streamed output, keeping only the head and a rolling tail in memory. */
export class OutputCollector {
  private head = '';
  private tail = '';
  private dropped = 0;

  constructor(
    private readonly headChars = HEAD_CHARS,
    private readonly tailChars = TAIL_CHARS,
  ) {}

  append(chunk: string): void {
    if (this.head.length < this.headChars) {
      const room = this.headChars - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    if (!chunk) return;
    this.tail += chunk;
    if (this.tail.length > this.tailChars) {
      const excess = this.tail.length - this.tailChars;
      this.dropped += excess;
      this.tail = this.tail.slice(excess);
    }
  }

  /** Characters seen in total. */
  get length(): number {
    return this.head.length + this.dropped + this.tail.length;
  }

  text(): string {
    return this.dropped ? joinParts(this.head, this.dropped, this.tail) : this.head + this.tail;
  }
}

function joinParts(head: string, dropped: number, tail: string): string {
  return `${head}\n… [${dropped} characters of output omitted] …\n${tail}`;
}

/**
 * Removes terminal control sequences (colours, cursor moves, OSC 633 shell
 * integration marks) and carriage-return overwrites from terminal output.
 */
export function cleanTerminalOutput(text: string): string {
  return (
    text
      // OSC sequences: ESC ] ... (BEL | ESC \)
      .replace(/\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g, '')
      // CSI sequences: ESC [ params final
      .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
      // Other two-character escapes.
      .replace(/\u001b[@-Z\\-_]/g, '')
      .replace(/\r\n/g, '\n')
      // A lone CR rewrites the line (progress bars): keep what was written last.
      .split('\n')
      .map((line) => line.replace(/\r+$/, ''))
      .map((line) => (line.includes('\r') ? line.slice(line.lastIndexOf('\r') + 1) : line))
      .join('\n')
  );
}

/** How often a running command's output is passed on. */
export const LIVE_OUTPUT_MS = 300;

/** Passes the collected output on while a command runs, throttled; does nothing without a listener. */
export class LiveOutput {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(
    private readonly collector: OutputCollector,
    private readonly onOutput: ((output: string) => void) | undefined,
    private readonly intervalMs = LIVE_OUTPUT_MS,
  ) {}

  changed(): void {
    if (!this.onOutput || this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.disposed) this.onOutput?.(cleanTerminalOutput(this.collector.text()));
    }, this.intervalMs);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
  }
}
