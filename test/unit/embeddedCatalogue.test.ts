import assert from 'node:assert/strict';
import { builtInOfferLabel, catalogue, EMBEDDED_CATALOGUE, findCatalogueModel, formatBytes, isSafeModelFileName, modelForMemory, TEST_CATALOGUE_ENV } from '../../src/shared/embeddedCatalogue';
import { seededRandom } from '../support/random';

const GiB = 1024 ** 3;

describe('the built-in model catalogue (src/shared/embeddedCatalogue)', () => {
  it('pins every entry: an official Qwen https URL for the file, its exact size and a SHA-256', () => {
    const ids = new Set<string>();
    for (const model of EMBEDDED_CATALOGUE) {
      assert.ok(!ids.has(model.id), model.id);
      ids.add(model.id);
      assert.ok(isSafeModelFileName(model.fileName), model.fileName);
      assert.ok(model.url.startsWith('https://huggingface.co/Qwen/') && model.url.endsWith(`/resolve/main/${model.fileName}`), model.url);
      assert.ok(Number.isSafeInteger(model.sizeBytes) && model.sizeBytes > 100_000_000, model.id);
      assert.match(model.sha256 ?? '', /^[0-9a-f]{64}$/, `${model.id}: a pinned hash (an entry without one is never installed)`);
    }
  });

  it('gives 8 GB machines (as they report themselves) the 1.5B model and smaller ones the 0.5B, at generated sizes', () => {
    const random = seededRandom(8);
    for (const memory of [7.6 * GiB, 8 * GiB, 16 * GiB, 64 * GiB, ...Array.from({ length: 20 }, () => (7.5 + random() * 120) * GiB)]) {
      assert.equal(modelForMemory(memory).label, 'Qwen2.5-Coder 1.5B', `${memory / GiB} GiB`);
    }
    for (const memory of [0, 2 * GiB, 4 * GiB, 7.4 * GiB, ...Array.from({ length: 20 }, () => random() * 7.4 * GiB)]) {
      assert.equal(modelForMemory(memory).label, 'Qwen2.5-Coder 0.5B', `${memory / GiB} GiB`);
    }
  });

  it('labels the offer with the real download size', () => {
    assert.equal(builtInOfferLabel(modelForMemory(16 * GiB)), 'Use a built-in model (1.0 GB download)');
    assert.equal(builtInOfferLabel(modelForMemory(4 * GiB)), 'Use a built-in model (469 MB download)');
    assert.deepEqual([0, 1023, 1024, 1024 ** 2, 1.5 * 1024 ** 3].map(formatBytes), ['0 bytes', '1023 bytes', '1 KB', '1 MB', '1.5 GB']);
  });

  it('takes a test override only as one well-formed entry with a safe file name', () => {
    const good = { url: 'http://127.0.0.1:9/x.gguf', sizeBytes: 123, sha256: 'b'.repeat(64) };
    assert.deepEqual(catalogue({ [TEST_CATALOGUE_ENV]: JSON.stringify(good) }).map((model) => [model.id, model.fileName, model.sizeBytes]), [['test-model', 'tandem-test-model.gguf', 123]]);
    assert.equal(catalogue({}), EMBEDDED_CATALOGUE);
    for (const bad of [{ ...good, sha256: undefined }, { ...good, sizeBytes: 1.5 }, { ...good, fileName: '../../etc/x.gguf' }, { ...good, fileName: 'x.bin' }, { ...good, fileName: '.hidden.gguf' }, 'nope']) {
      assert.throws(() => catalogue({ [TEST_CATALOGUE_ENV]: JSON.stringify(bad) }), new RegExp(TEST_CATALOGUE_ENV));
    }
    assert.equal(findCatalogueModel('qwen2.5-coder-1.5b-instruct-q4_k_m')?.sizeBytes, 1_117_320_768);
    assert.equal(findCatalogueModel('gpt-5'), undefined);
  });
});
