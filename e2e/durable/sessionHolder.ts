/**
 * A second holder of a session, as a host process or a dashboard server would be: a bare JSON-RPC
 * connection that attaches (`session.resume`) and then only listens. It answers nothing, so the
 * client under test is the one that answers the agent's tool calls and permission prompts, and it
 * keeps the session alive on the CLI while the client's own link is cut.
 */
import net from 'node:net';

export interface SessionHolder {
  /** Notifications received (for a test that wants to compare). */
  readonly eventIds: Set<string>;
  close(): Promise<void>;
}

export async function holdSession(port: number, token: string, resumeParams: Record<string, unknown>): Promise<SessionHolder> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const eventIds = new Set<string>();
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())?.[1]);
      if (buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
        params?: { event?: { id?: string } };
      };
      buffer = buffer.subarray(headerEnd + 4 + length);
      if (message.id !== undefined && pending.has(message.id)) {
        const waiter = pending.get(message.id)!;
        pending.delete(message.id);
        if (message.error) waiter.reject(new Error(message.error.message));
        else waiter.resolve(message.result);
      } else if (message.params?.event?.id) {
        eventIds.add(message.params.event.id);
      }
    }
  });
  let nextId = 1;
  const call = (method: string, params: object) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const body = JSON.stringify({ jsonrpc: '2.0', id, method, params });
      socket.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  await call('connect', { token });
  await call('session.resume', { ...resumeParams, requestPermission: true, streaming: true });
  return {
    eventIds,
    close: () =>
      new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.end();
        setTimeout(() => socket.destroy(), 500).unref();
      }),
  };
}
