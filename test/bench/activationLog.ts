import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The extension's "Activated in N ms" lines, one per extension-host start
 * (each start logs to its own exthost<N> folder), oldest first; waits until
 * there are `count` of them. The log is written asynchronously, hence the wait.
 */
export async function waitForActivations(userDataDir: string, count: number, timeoutMs = 30_000): Promise<number[]> {
  const logsDir = path.join(userDataDir, 'logs');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = existsSync(logsDir)
      ? readdirSync(logsDir, { recursive: true })
          .map(String)
          .filter((file) => file.endsWith(path.join('tandem-dev.tandem', 'Tandem.log')))
          .sort(byExtensionHost)
      : [];
    const samples = files.flatMap((file) =>
      [...readFileSync(path.join(logsDir, file), 'utf8').matchAll(/Activated in ([\d.]+) ms/g)].map((match) => Number(match[1])),
    );
    if (samples.length >= count) {
      return samples;
    }
    if (Date.now() > deadline) {
      throw new Error(`found ${samples.length} of ${count} "Activated in" lines in ${logsDir} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Orders log paths by their session folder, then by exthost number (exthost10 after exthost9). */
function byExtensionHost(a: string, b: string): number {
  const key = (file: string): [string, number] => {
    const match = /^(.*?)exthost(\d+)/.exec(file);
    return match ? [match[1] ?? '', Number(match[2])] : [file, 0];
  };
  const [sessionA, hostA] = key(a);
  const [sessionB, hostB] = key(b);
  return sessionA === sessionB ? hostA - hostB : sessionA < sessionB ? -1 : 1;
}
