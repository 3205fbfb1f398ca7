/**
 * The polite steps of `stop()` on a connected link: destroy every session, then shut down the CLI's
 * runtime when this client spawned it. Each step is bounded and its failure ignored: a stop always
 * goes on to release the process and every handle.
 */
import type { RpcConnection } from '../rpc/connection.js';
import type { RxSession } from '../session/RxSession.js';
import type { TransportConnection } from '../transport/types.js';

/** How long `stop()` waits for each polite step before it moves on. */
const STOP_STEP_TIMEOUT_MS = 5_000;

export async function shutDownPolitely(sessions: readonly RxSession[], rpc: RpcConnection, transport: TransportConnection): Promise<void> {
  await Promise.all(sessions.map((session) => withTimeout(session.destroy()).catch(() => undefined)));
  // Only a runtime this client spawned is shut down; a shared TCP server keeps running.
  if (transport.pid !== undefined) {
    await rpc.call('runtime.shutdown', {}, { timeoutMs: STOP_STEP_TIMEOUT_MS }).catch(() => undefined);
  }
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), STOP_STEP_TIMEOUT_MS);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
