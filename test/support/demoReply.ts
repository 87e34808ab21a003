/**
 * The `--demo` answer of the scripted model server: a friendly streamed markdown reply that
 * echoes the question, so a person can try the chat without a real model.
 */
import type { RecordedRequest, Reply } from './modelServer';
import { lastUserText } from './openaiWire';

const DEMO_TOKENS_PER_SECOND = 60;
const MAX_ECHO_CHARS = 400;

/** Quoted line by line, so whatever markdown the question holds cannot break the answer's layout. */
function quote(text: string): string {
  const trimmed = text.trim();
  const short = trimmed.length > MAX_ECHO_CHARS ? `${trimmed.slice(0, MAX_ECHO_CHARS)}…` : trimmed;
  return short
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

export function demoAnswer(question: string): string {
  const asked = question.trim() === '' ? 'You did not ask anything yet, but here is an answer anyway.' : `You asked:\n\n${quote(question)}`;
  return [
    asked,
    '',
    "This reply comes from Tandem's **scripted model server**: no real model is involved, but it streams just like one (about 60 tokens per second), so you can try the chat.",
    '',
    'Here is a small TypeScript example, to show how code blocks look:',
    '',
    '```ts',
    'export function greet(name: string): string {',
    '  return `Hello, ${name}!`;',
    '}',
    '',
    "console.log(greet('Tandem'));",
    '```',
    '',
    '- Press **Stop** while this streams: the partial answer is kept.',
    '- Ask again for another streamed answer.',
    '',
  ].join('\n');
}

export function demoReply(req: RecordedRequest): Reply {
  return { kind: 'stream', text: demoAnswer(lastUserText(req.body)), tokensPerSecond: DEMO_TOKENS_PER_SECOND };
}
