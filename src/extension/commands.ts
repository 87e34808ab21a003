import * as vscode from 'vscode';
import { editorTask, explain } from './actions/editorCommands';
import { pickApprovalPolicy } from './agent/settings';
import { addProvenanceTrailer } from './audit/commitTrailer';
import { writeCommitMessage } from './chat/commitMessage';
import { toggleCompletions, triggerCompletion } from './completions/completionController';
import type { TandemContext } from './context';
import { acceptAll, acceptFile, acceptHunk, nextHunk, previousHunk, rejectAll, rejectFile, rejectHunk } from './edits/reviewCommands';
import { approveServer, restartServer, setServerDisabled, showServers } from './mcp/commands';
import { offerLocalServers, pickModel } from './modelSettings';
import { showStatusMenu } from './statusBar';

/** A command's handler: the context, then whatever the caller passed (menus, CodeLens, other extensions, tests). */
type Command = (ctx: TandemContext, ...args: unknown[]) => unknown;

/**
 * Every command the extension contributes, by the id package.json declares,
 * and the only place commands are registered (registerCommands).
 * scripts/check-contributions.mjs reads the ids from this table and fails
 * when it and package.json disagree, or when another file registers a command.
 */
export const COMMANDS = {
  // Chat
  'tandem.focusChat': (ctx) => ctx.chatView.reveal(),
  'tandem.askAboutSelection': async (ctx) => {
    const editor = vscode.window.activeTextEditor;
    if (editor) {
      ctx.chips.addFromEditor(editor);
    }
    await ctx.chatView.reveal();
    ctx.chat.focusInput();
  },
  'tandem.newChat': async (ctx) => {
    await ctx.chatView.reveal();
    await ctx.chat.newChat();
  },
  'tandem.stop': (ctx) => ctx.chat.stop(),

  // The model and the service. An argument lets automation (and the integration tests) set the key without the prompt.
  'tandem.setApiKey': async (ctx, key) => {
    if (typeof key === 'string') {
      await ctx.apiKeys.set(key);
    } else if (await ctx.apiKeys.prompt()) {
      void vscode.window.showInformationMessage((await ctx.apiKeys.get()) ? 'Tandem: API key saved in secret storage.' : 'Tandem: API key removed.');
    }
  },
  'tandem.clearApiKey': async (ctx) => {
    await ctx.apiKeys.set('');
    void vscode.window.showInformationMessage('Tandem: API key removed.');
  },
  'tandem.pickModel': (ctx, model) => pickModel(ctx.service, typeof model === 'string' ? model : undefined),
  'tandem.findLocalModels': (ctx) => offerLocalServers(ctx.service, false),
  'tandem.useBuiltInModel': (ctx) => ctx.builtInModel.use(),
  'tandem.showLog': (ctx) => ctx.log.show(),
  'tandem.restartService': (ctx) => ctx.service.restart(),
  'tandem.statusMenu': () => showStatusMenu(),

  // Editor actions (context menu, code actions); each takes optional EditorCommandArgs.
  'tandem.explain': (ctx, args) => explain(ctx, args),
  'tandem.refactor': (ctx, args) => editorTask(ctx, 'refactor', args),
  'tandem.fix': (ctx, args) => editorTask(ctx, 'fix', args),
  'tandem.generateTests': (ctx, args) => editorTask(ctx, 'tests', args),
  'tandem.addDocs': (ctx, args) => editorTask(ctx, 'docs', args),
  'tandem.inlineEdit': (ctx, args) => editorTask(ctx, 'inline', args),

  // Inline suggestions. `tandem.completionAccepted` is COMPLETION_ACCEPTED_COMMAND, which the service puts on each item.
  'tandem.triggerCompletion': () => triggerCompletion(),
  'tandem.toggleCompletions': () => toggleCompletions(),
  'tandem.completionsMenu': (ctx) => ctx.completions.menu(),
  'tandem.completionAccepted': (ctx, id) => ctx.completions.accepted(id),

  // Reviews of proposed edits; each takes an optional ReviewRef or URI (see edits/reviewCommands.ts).
  'tandem.review.acceptHunk': (ctx, ref) => acceptHunk(ctx.reviews, ref),
  'tandem.review.rejectHunk': (ctx, ref) => rejectHunk(ctx.reviews, ref),
  'tandem.review.acceptFile': (ctx, ref) => acceptFile(ctx.reviews, ref),
  'tandem.review.rejectFile': (ctx, ref) => rejectFile(ctx.reviews, ref),
  'tandem.review.acceptAll': (ctx, ref) => acceptAll(ctx.reviews, ref),
  'tandem.review.rejectAll': (ctx, ref) => rejectAll(ctx.reviews, ref),
  'tandem.review.nextHunk': (ctx) => nextHunk(ctx.reviews),
  'tandem.review.previousHunk': (ctx) => previousHunk(ctx.reviews),

  // Agent mode. An argument sets the policy without the quick pick (automation, tests).
  'tandem.setApprovalPolicy': (_ctx, policy) => pickApprovalPolicy(policy),

  // The audit trail (docs/audit.md) and what it says about the lines Tandem wrote. The SCM title passes its source control.
  'tandem.showAuditTrail': (ctx) => ctx.auditTrail.show(),
  'tandem.showAiProvenance': (ctx) => ctx.provenance.showActive(),
  'tandem.addProvenanceTrailer': (ctx, scm) => addProvenanceTrailer(ctx.service, ctx.log, scm),
  'tandem.writeCommitMessage': (ctx, scm) => writeCommitMessage(ctx.service, ctx.log, scm),
  // Velocity, quality, cost and speed from the audit trail (docs/audit.md#metrics).
  'tandem.showMetrics': (ctx) => ctx.metrics.show(),

  // MCP servers (docs/mcp.md); each takes an optional server name (or the view's item), else asks with a quick pick.
  'tandem.mcp.showServers': (ctx) => showServers(ctx.mcp),
  'tandem.mcp.restartServer': (ctx, server) => restartServer(ctx.mcp, server),
  'tandem.mcp.disableServer': (ctx, server) => setServerDisabled(ctx.mcp, server, true),
  'tandem.mcp.enableServer': (ctx, server) => setServerDisabled(ctx.mcp, server, false),
  'tandem.mcp.approveServer': (ctx, server) => approveServer(ctx.mcp, server),
} satisfies Record<string, Command>;

/** Registers every command of the table, each handed `ctx`. */
export function registerCommands(ctx: TandemContext): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, command]: [string, Command]) => vscode.commands.registerCommand(id, (...args: unknown[]) => command(ctx, ...args)));
}
