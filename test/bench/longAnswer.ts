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
import { pick, seededRandom } from '../support/random';
import { ADJECTIVES, CODE_TEMPLATES, IDENTIFIERS, NOUNS, VERBS, type CodeTemplate } from './longAnswerSamples';

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

class Writer {
  private readonly random: () => number;
  /** Code blocks written so far (also those of a section later left out): picks the next template. */
  private codeBlocks = 0;

  constructor(seed: number) {
    this.random = prng(seed);
  }

  pick<T>(items: readonly T[]): T {
    return pick(this.random, items);
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
    const [lang, body] = (CODE_TEMPLATES[this.codeBlocks % CODE_TEMPLATES.length] as CodeTemplate)(this, section);
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
