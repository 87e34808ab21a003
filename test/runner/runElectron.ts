/**
 * The same integration suite in desktop VS Code, for machines with network
 * access (a developer laptop, hosted CI): @vscode/test-electron downloads
 * VS Code into .vscode-test/ and calls the suite's run(). Not used by
 * `npm test`, which runs offline through code-server (runIntegration.ts).
 *
 *   npm run build && npm run test:electron
 *   env: TANDEM_VSCODE_VERSION=1.100.3 (default; or "stable", "insiders")
 */
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { copyFixtureWorkspace, repoRoot } from './workspace';

async function main(): Promise<void> {
  const workspace = await copyFixtureWorkspace();
  await runTests({
    version: process.env.TANDEM_VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
    // Only Tandem: other installed extensions would make results machine-dependent.
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    extensionTestsEnv: { TANDEM_TEST_WORKSPACE: workspace },
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
