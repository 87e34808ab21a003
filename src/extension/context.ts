import type * as vscode from 'vscode';
import type { CheckpointStore } from './agent/checkpoints';
import type { ClientTools } from './agent/clientTools';
import type { ApiKeyStore } from './apiKeyStore';
import type { AuditTrailPanel } from './audit/auditTrailPanel';
import type { ProvenanceView } from './audit/provenanceView';
import type { ChatController } from './chat/chatController';
import type { ServiceProjectCheckSource } from './checks/projectCheckSource';
import type { ChatViewProvider } from './chat/chatViewProvider';
import type { ContextChips } from './chat/contextChips';
import type { CompletionController } from './completions/completionController';
import type { ReviewManager } from './edits/reviewManager';
import type { McpServers } from './mcp/servers';
import type { MetricsPanel } from './metrics/metricsPanel';
import type { ServiceClient } from './serviceClient';
import type { BuiltInModel } from './embedded/useBuiltInModel';

/**
 * The extension's long-lived parts, as the commands (commands.ts) and the
 * test hooks see them: what a command may touch is what is listed here.
 * Tandem builds each once and disposes each once; nothing here is
 * undefined while a command can run.
 */
export interface TandemContext {
  readonly log: vscode.LogOutputChannel;
  readonly apiKeys: ApiKeyStore;
  /** The model service (a language client); it starts in the background, its requests wait for it. */
  readonly service: ServiceClient;
  /** The chat session: questions, answers, agent tasks. */
  readonly chat: ChatController;
  readonly chatView: Pick<ChatViewProvider, 'reveal'>;
  /** What the next question carries (selections, files). */
  readonly chips: ContextChips;
  /** Reviews of proposed edits: everything that changes files goes through `reviews.open`. */
  readonly reviews: ReviewManager;
  readonly completions: CompletionController;
  /** Agent mode's editor-side tools (terminals, Problems, reviewed edits, checkpoints). */
  readonly agentTools: ClientTools;
  readonly checkpoints: CheckpointStore;
  /** The Audit Trail view (an editor tab, opened on demand). */
  readonly auditTrail: AuditTrailPanel;
  /** The Metrics dashboard (an editor tab, opened on demand). */
  readonly metrics: MetricsPanel;
  /** Gutter marks on the lines Tandem wrote. */
  readonly provenance: ProvenanceView;
  /** The project's own checks on a proposal, in a temporary copy (the review's verification calls it). */
  readonly projectChecks: ServiceProjectCheckSource;
  /** The MCP servers whose tools the agent may call (docs/mcp.md). */
  readonly mcp: McpServers;
  /** The status bar item (its text, for tests: the model and whether it is the built-in one). */
  readonly statusBar: { readonly text: string };
  /** The built-in model: switch to it, or download it (Tandem: Use Built-in Model). */
  readonly builtInModel: BuiltInModel;
}
