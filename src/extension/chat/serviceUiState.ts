import type { ServiceStatusParams } from '../../shared/protocol';
import type { ServiceUiState } from '../../shared/webviewProtocol';
import type { ServiceClientState } from '../serviceClient';

/** One state and one sentence for the chat header and the status bar. */
export function serviceUiState(
  client: ServiceClientState,
  status: ServiceStatusParams | undefined,
): { state: ServiceUiState; message?: string } {
  switch (client) {
    case 'starting':
      return { state: 'starting', message: 'Starting the model service…' };
    case 'restarting':
      return { state: 'restarting', message: 'The model service stopped unexpectedly; restarting it…' };
    case 'stopped':
      return { state: 'stopped', message: 'The model service is stopped. Run “Tandem: Restart Model Service”.' };
    case 'ready':
      if (!status || status.state === 'notConfigured') {
        return {
          state: 'notConfigured',
          message: 'No model configured: run “Tandem: Use Built-in Model”, set an OpenAI API key, or point Tandem at a local server (Ollama, LM Studio, vLLM).',
        };
      }
      if (status.state === 'failed') {
        return { state: 'failed', message: status.problem ?? `The model ${status.model} cannot answer.` };
      }
      if (!status.model) {
        return { state: 'notConfigured', message: `Connected to ${status.provider}; choose a model to chat with.` };
      }
      return { state: 'ready' };
  }
}
