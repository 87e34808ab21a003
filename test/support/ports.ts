import net from 'node:net';

/** A free TCP port on 127.0.0.1 with nothing listening on it (for "connection refused" cases). */
export async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  if (!address || typeof address !== 'object') {
    throw new Error('could not reserve a port');
  }
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return address.port;
}
