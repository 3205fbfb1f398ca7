import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { TransportCloseInfo } from '@copilot-rx/core';

/** A client's end of an in-memory connection to the fake agent. */
export interface InMemoryConnection {
  /** Bytes from the agent: the client reads framed JSON-RPC here. */
  readonly readable: Readable;
  /** Bytes to the agent: the client writes framed JSON-RPC here. */
  readonly writable: Writable;
  /**
   * Resolves when the agent's side is gone (agent closed or crashed, or the client ended), with the
   * exit code of a crash; shaped for core's `streamTransport({ readable, writable, closed })`.
   */
  readonly closed: Promise<TransportCloseInfo>;
}

/** The agent's end: what it reads, what it writes, and how a crash cuts it off. */
export interface AgentEnd {
  readonly readable: Readable;
  readonly writable: Writable;
  /** Like a dying process's stdout: the client sees end-of-stream, with nothing more after it. */
  readonly terminate: () => void;
}

/** Two pipes, one each way, with no I/O underneath. */
export function inMemoryPipes(): { readonly client: Omit<InMemoryConnection, 'closed'>; readonly agent: AgentEnd } {
  const toAgent = new PassThrough();
  const toClient = new PassThrough();
  return {
    client: { readable: toClient, writable: toAgent },
    agent: { readable: toAgent, writable: toClient, terminate: () => toClient.end() },
  };
}
