/**
 * A bare JSON-RPC client for recording: it frames its own requests (as a vscode-jsonrpc client would,
 * with nothing of copilot-rx's behaviour in between) and reads the CLI's messages from the transcript
 * recorder that taps the same connection, so what is recorded is exactly what the client acted on.
 */

/** A wait that ran out: names what was waited for and for how long. */
export class RecordingTimeoutError extends Error {
  constructor(what, ms) {
    super(`gave up after ${ms} ms waiting for ${what}`);
    this.name = 'RecordingTimeoutError';
  }
}

/** The CLI answered a request with a JSON-RPC error. */
export class RecordingRpcError extends Error {
  constructor(method, error) {
    super(`${method} failed: ${JSON.stringify(error).slice(0, 300)}`);
    this.name = 'RecordingRpcError';
  }
}

const frame = (message) => {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
};

/**
 * @param connection the tapped `{ readable, writable }` of `recordTranscript(transport).open()`
 * @param recorder its `recorder`, whose entries this client reads
 * @param defaultTimeoutMs the bound of every wait that names none
 */
export function bareClient(connection, recorder, defaultTimeoutMs) {
  let nextId = 0;
  let read = 0;
  const pending = new Map();
  const watchers = new Set();

  const dispatch = (msg) => {
    if (msg.id !== undefined && msg.method === undefined) {
      const waiter = pending.get(msg.id);
      pending.delete(msg.id);
      waiter?.(msg);
      return;
    }
    if (msg.id !== undefined) {
      // The CLI sent none in these scenarios (real-cli.md); answer any so it is never left waiting.
      connection.writable.write(frame({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: `the recorder does not handle ${msg.method}` } }));
    }
    for (const watcher of [...watchers]) watcher(msg);
  };

  // The tap records a chunk's messages before it passes the chunk on, so on 'data' they are there.
  connection.readable.on('data', () => {
    while (read < recorder.entries.length) {
      const { dir, msg } = recorder.entries[read++];
      if (dir === 'cli->client' && typeof msg === 'object' && msg !== null) dispatch(msg);
    }
  });

  const bounded = (what, timeoutMs, start, cleanup) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new RecordingTimeoutError(what, timeoutMs));
      }, timeoutMs);
      start((value) => {
        clearTimeout(timer);
        cleanup();
        resolve(value);
      });
    });

  /** Calls `handler(event)` for every `session.event` of the session; returns the unsubscribe. */
  const onEvent = (sessionId, handler) => {
    const watcher = (msg) => {
      if (msg.method === 'session.event' && msg.params?.sessionId === sessionId) handler(msg.params.event);
    };
    watchers.add(watcher);
    return () => watchers.delete(watcher);
  };

  return {
    onEvent,

    /** Sends a request; resolves with its result, rejects on an error answer or when the bound runs out. */
    async request(method, params, timeoutMs = defaultTimeoutMs) {
      const id = nextId++;
      const answer = await bounded(
        `the answer to ${method}`,
        timeoutMs,
        (settle) => {
          pending.set(id, settle);
          connection.writable.write(frame({ jsonrpc: '2.0', id, method, params }));
        },
        () => pending.delete(id),
      );
      if (answer.error !== undefined) throw new RecordingRpcError(method, answer.error);
      return answer.result;
    },

    /** Resolves with the first event of the session of `type` from now on. */
    nextEvent(sessionId, type, timeoutMs = defaultTimeoutMs) {
      let stop = () => {};
      return bounded(
        `a ${type} event`,
        timeoutMs,
        (settle) => {
          stop = onEvent(sessionId, (event) => event.type === type && settle(event));
        },
        () => stop(),
      );
    },
  };
}
