/**
 * The edit corpus through `tandem apply-patch` in-process (runApplyPatch with
 * its stdin, stdout and stderr given): the command's options, exit codes,
 * messages, dry-run JSON and writes for every case, without a process per
 * run. test/standalone/applyPatch.test.ts runs a few cases through the built CLI.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { runApplyPatch } from '../../../src/server/edits/applyPatchCommand';
import { checkCorpusCase, type CommandRun } from './applyPatchCorpus';
import { loadCorpus } from './corpus';

async function inProcess(args: string[], stdin: string): Promise<CommandRun> {
  let stdout = '';
  let stderr = '';
  const code = await runApplyPatch(args, {
    stdin: Readable.from([stdin]),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

describe('tandem apply-patch (in-process) on the edit corpus', () => {
  let work: string;

  before(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'tandem-apply-patch-'));
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const corpusCase of loadCorpus()) {
    it(corpusCase.name, () => checkCorpusCase(corpusCase, work, inProcess));
  }
});
