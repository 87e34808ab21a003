/**
 * The built-in models Tandem offers to download: small coder models that run
 * inside the model service. Each entry pins the exact bytes (size and SHA-256
 * of the file as its publisher uploaded it): the downloader installs nothing
 * else. Plain data and pure functions: the service, the extension and the
 * webview's labels share it; the caller passes the machine's memory.
 */

export interface CatalogueModel {
  /** Stable id, sent in `tandem/embedded/download`. */
  readonly id: string;
  /** For people: "Qwen2.5-Coder 1.5B". */
  readonly label: string;
  /** The file's name in the models folder. */
  readonly fileName: string;
  readonly url: string;
  readonly sizeBytes: number;
  /**
   * Lower-case hex SHA-256 of the whole file; `undefined` when no published
   * value could be confirmed, and then the downloader refuses to install it.
   */
  readonly sha256: string | undefined;
  /** The machine's total memory (bytes) from which this model is the default. */
  readonly minTotalMemoryBytes: number;
}

const GiB = 1024 ** 3;

/*
 * Where the pinned values come from (the weights cannot be downloaded where
 * this was written, so they were not re-hashed here):
 * - Both files are the Qwen team's own GGUF uploads (Hugging Face repositories
 *   Qwen/Qwen2.5-Coder-{1.5B,0.5B}-Instruct-GGUF, Apache-2.0). The SHA-256 is the
 *   Git LFS object id of the file, which Hugging Face computes over the whole
 *   file; the size is the LFS pointer's `size`.
 * - 1.5B Q4_K_M: 1,117,320,768 bytes, cc324af0…b046. The same pair is pinned,
 *   independently, by several public projects' model manifests and lock files
 *   (at repository revisions f86cb2c1… and 2ab9f8f4…, i.e. unchanged across
 *   them), one of which reports re-hashing its download and finding the
 *   publisher's LFS oid.
 * - 0.5B Q4_K_M: 491,400,064 bytes, 1d961463…ff32, likewise pinned by several
 *   independent manifests (at revisions ebb20151… and bf1da6ca…).
 * The URLs follow `resolve/main`; should the publisher ever replace a file,
 * the hash check fails and nothing is installed (the entry then needs new pins).
 */
export const EMBEDDED_CATALOGUE: readonly CatalogueModel[] = [
  {
    id: 'qwen2.5-coder-1.5b-instruct-q4_k_m',
    label: 'Qwen2.5-Coder 1.5B',
    fileName: 'qwen2.5-coder-1.5b-instruct-q4_k_m.gguf',
    url: 'https://huggingface.co/Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF/resolve/main/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf',
    sizeBytes: 1_117_320_768,
    sha256: 'cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046',
    // "8 GB" machines report a little less than 8 GiB (firmware, integrated graphics).
    minTotalMemoryBytes: 7.5 * GiB,
  },
  {
    id: 'qwen2.5-coder-0.5b-instruct-q4_k_m',
    label: 'Qwen2.5-Coder 0.5B',
    fileName: 'qwen2.5-coder-0.5b-instruct-q4_k_m.gguf',
    url: 'https://huggingface.co/Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF/resolve/main/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf',
    sizeBytes: 491_400_064,
    sha256: '1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32',
    minTotalMemoryBytes: 0,
  },
];

/**
 * TEST ONLY: `TANDEM_TEST_BUILTIN_MODEL` replaces the catalogue with one entry
 * (JSON `{url, sizeBytes, sha256, fileName?}`), so the integration and end-to-end
 * tests can download a small file from a server of their own. It is not a way
 * to choose a model: `tandem.embedded.modelPath` is. Plain http is still refused
 * for any host but 127.0.0.1.
 */
export const TEST_CATALOGUE_ENV = 'TANDEM_TEST_BUILTIN_MODEL';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const SAFE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.gguf$/;

export function isSafeModelFileName(name: string): boolean {
  return SAFE_FILE_NAME.test(name) && !name.includes('..');
}

/** The catalogue in force: the built-in one, or the test's single entry. */
export function catalogue(env: Readonly<Record<string, string | undefined>> = {}): readonly CatalogueModel[] {
  const raw = env[TEST_CATALOGUE_ENV];
  if (!raw) {
    return EMBEDDED_CATALOGUE;
  }
  const entry = parseTestEntry(raw);
  if (!entry) {
    throw new Error(`${TEST_CATALOGUE_ENV} must be JSON {url, sizeBytes, sha256, fileName?}`);
  }
  return [entry];
}

function parseTestEntry(raw: string): CatalogueModel | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { url, sizeBytes, sha256, fileName } = value as Record<string, unknown>;
  const name = fileName ?? 'tandem-test-model.gguf';
  if (typeof url !== 'string' || typeof sizeBytes !== 'number' || !Number.isSafeInteger(sizeBytes) || sizeBytes <= 0) return undefined;
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256) || typeof name !== 'string' || !isSafeModelFileName(name)) return undefined;
  return { id: 'test-model', label: 'Test model', fileName: name, url, sizeBytes, sha256, minTotalMemoryBytes: 0 };
}

/** The model for a machine with `totalMemoryBytes` of memory: the largest one it has room for. */
export function modelForMemory(totalMemoryBytes: number, models: readonly CatalogueModel[] = EMBEDDED_CATALOGUE): CatalogueModel {
  const fitting = models.filter((model) => totalMemoryBytes >= model.minTotalMemoryBytes);
  const pick = [...(fitting.length > 0 ? fitting : models)].sort((a, b) => b.minTotalMemoryBytes - a.minTotalMemoryBytes)[0];
  if (!pick) {
    throw new Error('The built-in model catalogue is empty');
  }
  return pick;
}

export function findCatalogueModel(id: string, models: readonly CatalogueModel[] = EMBEDDED_CATALOGUE): CatalogueModel | undefined {
  return models.find((model) => model.id === id);
}

/** "1.0 GB", "469 MB": binary units, as file managers show them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${Math.max(0, Math.round(bytes))} bytes`;
}

/** The "no model" message's button: "Use a built-in model (1.0 GB download)". */
export function builtInOfferLabel(model: CatalogueModel): string {
  return `Use a built-in model (${formatBytes(model.sizeBytes)} download)`;
}
