import {
  createServerPipeTransport,
  createServerSocketTransport,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';

/** How the language server talks to its client. */
export type Transport =
  | { kind: 'stdio' }
  | { kind: 'ipc' }
  | { kind: 'socket'; port: number }
  | { kind: 'pipe'; name: string };

/** Reader and writer for a transport. For stdio, stdout belongs to LSP alone from here on. */
export function createTransport(transport: Transport): [MessageReader, MessageWriter] {
  switch (transport.kind) {
    case 'stdio':
      return [new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout)];
    case 'ipc':
      if (typeof process.send !== 'function') {
        throw new Error('--node-ipc needs an IPC channel: start the service with child_process.fork.');
      }
      return [new IPCMessageReader(process), new IPCMessageWriter(process)];
    case 'socket':
      return createServerSocketTransport(transport.port);
    case 'pipe':
      return createServerPipeTransport(transport.name);
  }
}
