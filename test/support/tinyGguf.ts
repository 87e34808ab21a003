/**
 * Writes a tiny llama-architecture GGUF model for tests and benchmarks: random
 * (seeded) weights, a byte-level vocabulary plus `▁` and printable ASCII, a
 * ChatML chat template and fill-in-the-middle token ids. Its output is
 * gibberish; it exists so the real path runs through node-llama-cpp.
 *
 * Options also produce malformed models (a key left out, a value of the wrong
 * type, the file cut short) for the error tests. Some malformations abort
 * the process inside llama.cpp, so load those in a child process.
 */
import { writeFileSync } from 'node:fs';

/** GGUF value types (gguf.h). */
export const GgufType = {
  u8: 0,
  i8: 1,
  u16: 2,
  i16: 3,
  u32: 4,
  i32: 5,
  f32: 6,
  bool: 7,
  string: 8,
  array: 9,
  u64: 10,
  i64: 11,
  f64: 12,
} as const;
export type GgufTypeName = keyof typeof GgufType;

type ScalarName = Exclude<GgufTypeName, 'array'>;
type Value = { type: ScalarName; value: number | bigint | boolean | string } | { type: 'array'; of: ScalarName; values: ReadonlyArray<number | string> };

export interface TinyGgufOptions {
  seed?: number;
  /** Transformer width (a multiple of `heads`). */
  embedding?: number;
  heads?: number;
  layers?: number;
  feedForward?: number;
  /** The trained context length the metadata states. */
  contextLength?: number;
  /** ChatML by default; null: no template at all. */
  chatTemplate?: string | null;
  /** Whether the FIM token ids are in the metadata (the tokens stay in the vocabulary, named neutrally when false). */
  fim?: boolean;
  /** Metadata keys left out. */
  omitKeys?: readonly string[];
  /** Metadata values replaced by another type (e.g. `{'llama.block_count': 'i32'}`): the number is kept, its type changes. */
  retype?: Readonly<Record<string, ScalarName>>;
  /** Keep only this many bytes of the file. */
  truncateTo?: number;
  /** Matrices in F16 (half the size) instead of F32. */
  f16?: boolean;
}

export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const TOKEN_NORMAL = 1;
const TOKEN_UNKNOWN = 2;
const TOKEN_CONTROL = 3;
const TOKEN_BYTE = 6;
const ALIGNMENT = 32;
const GGML_F32 = 0;
const GGML_F16 = 1;

export interface TinyVocabulary {
  tokens: string[];
  types: number[];
  ids: { unk: number; bos: number; eos: number; imStart: number; imEnd: number; fimPre: number; fimSuf: number; fimMid: number };
}

/** The vocabulary: special tokens, the 256 byte tokens, `▁` and printable ASCII (no space: `▁` stands for it). */
export function tinyVocabulary(fim = true): TinyVocabulary {
  const tokens: string[] = [];
  const types: number[] = [];
  const add = (text: string, type: number): number => {
    tokens.push(text);
    types.push(type);
    return tokens.length - 1;
  };
  const unk = add('<unk>', TOKEN_UNKNOWN);
  const bos = add('<s>', TOKEN_CONTROL);
  const eos = add('</s>', TOKEN_CONTROL);
  const imStart = add('<|im_start|>', TOKEN_CONTROL);
  const imEnd = add('<|im_end|>', TOKEN_CONTROL);
  // Without FIM the tokens keep their places under names llama.cpp does not recognise as FIM.
  const fimPre = add(fim ? '<|fim_prefix|>' : '<|extra_0|>', TOKEN_CONTROL);
  const fimSuf = add(fim ? '<|fim_suffix|>' : '<|extra_1|>', TOKEN_CONTROL);
  const fimMid = add(fim ? '<|fim_middle|>' : '<|extra_2|>', TOKEN_CONTROL);
  for (let byte = 0; byte < 256; byte++) add(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`, TOKEN_BYTE);
  add('▁', TOKEN_NORMAL);
  for (let code = 0x21; code <= 0x7e; code++) add(String.fromCharCode(code), TOKEN_NORMAL);
  return { tokens, types, ids: { unk, bos, eos, imStart, imEnd, fimPre, fimSuf, fimMid } };
}

/** A seeded PRNG (mulberry32): the same seed writes the same bytes. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The model as bytes. */
export function tinyGguf(options: TinyGgufOptions = {}): Buffer {
  const embedding = options.embedding ?? 64;
  const heads = options.heads ?? 4;
  const layers = options.layers ?? 2;
  const feedForward = options.feedForward ?? 128;
  const fim = options.fim ?? true;
  const vocab = tinyVocabulary(fim);
  const vocabSize = vocab.tokens.length;

  const metadata: Array<[string, Value]> = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: 'tiny-test' }],
    ['general.alignment', { type: 'u32', value: ALIGNMENT }],
    ['llama.context_length', { type: 'u32', value: options.contextLength ?? 1024 }],
    ['llama.embedding_length', { type: 'u32', value: embedding }],
    ['llama.block_count', { type: 'u32', value: layers }],
    ['llama.feed_forward_length', { type: 'u32', value: feedForward }],
    ['llama.attention.head_count', { type: 'u32', value: heads }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'array', of: 'string', values: vocab.tokens }],
    ['tokenizer.ggml.token_type', { type: 'array', of: 'i32', values: vocab.types }],
    ['tokenizer.ggml.scores', { type: 'array', of: 'f32', values: vocab.tokens.map(() => 0) }],
    ['tokenizer.ggml.add_space_prefix', { type: 'bool', value: false }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: vocab.ids.unk }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: vocab.ids.bos }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: vocab.ids.eos }],
  ];
  if (fim) {
    metadata.push(
      ['tokenizer.ggml.fim_pre_token_id', { type: 'u32', value: vocab.ids.fimPre }],
      ['tokenizer.ggml.fim_suf_token_id', { type: 'u32', value: vocab.ids.fimSuf }],
      ['tokenizer.ggml.fim_mid_token_id', { type: 'u32', value: vocab.ids.fimMid }],
    );
  }
  const template = options.chatTemplate === undefined ? CHATML_TEMPLATE : options.chatTemplate;
  if (template !== null) metadata.push(['tokenizer.chat_template', { type: 'string', value: template }]);

  const omitted = new Set(options.omitKeys ?? []);
  const kept = metadata
    .filter(([key]) => !omitted.has(key))
    .map(([key, value]): [string, Value] => {
      const retype = options.retype?.[key];
      return retype && value.type !== 'array' ? [key, { type: retype, value: retype === 'string' ? String(value.value) : value.value }] : [key, value];
    });

  const next = random(options.seed ?? 1);
  const tensors: Array<{ name: string; dims: number[]; norm: boolean }> = [
    { name: 'token_embd.weight', dims: [embedding, vocabSize], norm: false },
    { name: 'output_norm.weight', dims: [embedding], norm: true },
  ];
  for (let block = 0; block < layers; block++) {
    tensors.push(
      { name: `blk.${block}.attn_norm.weight`, dims: [embedding], norm: true },
      { name: `blk.${block}.attn_q.weight`, dims: [embedding, embedding], norm: false },
      { name: `blk.${block}.attn_k.weight`, dims: [embedding, embedding], norm: false },
      { name: `blk.${block}.attn_v.weight`, dims: [embedding, embedding], norm: false },
      { name: `blk.${block}.attn_output.weight`, dims: [embedding, embedding], norm: false },
      { name: `blk.${block}.ffn_norm.weight`, dims: [embedding], norm: true },
      { name: `blk.${block}.ffn_gate.weight`, dims: [embedding, feedForward], norm: false },
      { name: `blk.${block}.ffn_up.weight`, dims: [embedding, feedForward], norm: false },
      { name: `blk.${block}.ffn_down.weight`, dims: [feedForward, embedding], norm: false },
    );
  }

  const header: Buffer[] = [];
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  const u64 = (n: number | bigint): Buffer => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    return b;
  };
  const str = (text: string): Buffer => {
    const bytes = Buffer.from(text, 'utf8');
    return Buffer.concat([u64(bytes.length), bytes]);
  };
  const scalar = (type: ScalarName, value: number | bigint | boolean | string): Buffer => {
    const b = Buffer.alloc(8);
    switch (type) {
      case 'string':
        return str(String(value));
      case 'bool':
        return Buffer.from([value ? 1 : 0]);
      case 'u8':
        b.writeUInt8(Number(value));
        return b.subarray(0, 1);
      case 'i8':
        b.writeInt8(Number(value));
        return b.subarray(0, 1);
      case 'u16':
        b.writeUInt16LE(Number(value));
        return b.subarray(0, 2);
      case 'i16':
        b.writeInt16LE(Number(value));
        return b.subarray(0, 2);
      case 'u32':
        b.writeUInt32LE(Number(value));
        return b.subarray(0, 4);
      case 'i32':
        b.writeInt32LE(Number(value));
        return b.subarray(0, 4);
      case 'f32':
        b.writeFloatLE(Number(value));
        return b.subarray(0, 4);
      case 'u64':
        b.writeBigUInt64LE(BigInt(Math.trunc(Number(value))));
        return b;
      case 'i64':
        b.writeBigInt64LE(BigInt(Math.trunc(Number(value))));
        return b;
      case 'f64':
        b.writeDoubleLE(Number(value));
        return b;
    }
  };

  header.push(Buffer.from('GGUF', 'latin1'), u32(3), u64(tensors.length), u64(kept.length));
  for (const [key, value] of kept) {
    header.push(str(key), u32(GgufType[value.type]));
    if (value.type === 'array') {
      header.push(u32(GgufType[value.of]), u64(value.values.length));
      for (const item of value.values) header.push(scalar(value.of, item));
    } else {
      header.push(scalar(value.type, value.value));
    }
  }

  const data: Buffer[] = [];
  let offset = 0;
  for (const tensor of tensors) {
    const count = tensor.dims.reduce((a, b) => a * b, 1);
    const half = options.f16 === true && !tensor.norm;
    const bytes = Buffer.alloc(count * (half ? 2 : 4));
    const scale = 1 / Math.sqrt(tensor.dims[0] ?? 1);
    for (let i = 0; i < count; i++) {
      const value = tensor.norm ? 1 : (next() * 2 - 1) * scale;
      if (half) bytes.writeUInt16LE(toHalf(value), i * 2);
      else bytes.writeFloatLE(value, i * 4);
    }
    header.push(str(tensor.name), u32(tensor.dims.length), ...tensor.dims.map((dim) => u64(dim)), u32(half ? GGML_F16 : GGML_F32), u64(offset));
    const padded = Math.ceil(bytes.length / ALIGNMENT) * ALIGNMENT;
    data.push(bytes, Buffer.alloc(padded - bytes.length));
    offset += padded;
  }
  const head = Buffer.concat(header);
  const pad = Buffer.alloc((ALIGNMENT - (head.length % ALIGNMENT)) % ALIGNMENT);
  const file = Buffer.concat([head, pad, ...data]);
  return options.truncateTo !== undefined ? file.subarray(0, Math.max(0, options.truncateTo)) : file;
}

/** Writes the model to `path` and returns the path. */
export function writeTinyGguf(path: string, options: TinyGgufOptions = {}): string {
  writeFileSync(path, tinyGguf(options));
  return path;
}

/** IEEE 754 half precision, rounded toward zero (plenty for random weights). */
function toHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = (bits >>> 13) & 0x3ff;
  if (exponent <= 0) return sign;
  if (exponent >= 31) return sign | 0x7c00;
  return sign | (exponent << 10) | mantissa;
}
