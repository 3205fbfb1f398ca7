/**
 * copilot-rx as an app uses it: CopilotRxClient over TCP, one `session.events$` subscription per
 * session. Every event is decoded by io-ts, de-duplicated by id and routed to its session by a Map.
 * With `pipeline: true` in the config, each session's events also feed accumulateText, countTokens
 * and bufferDeltas from @copilot-rx/operators (one shared source, three subscribers). `dedupeWindow`
 * overrides the client's de-duplication window (for measuring what the window costs).
 */
import { CopilotRxClient, tcpTransport } from '@copilot-rx/core';
import { accumulateText, bufferDeltas, countTokens } from '@copilot-rx/operators';
import { share, tap } from 'rxjs';
import { runVariant } from './runVariant.mjs';

const { pipeline = false, dedupeWindow } = JSON.parse(process.argv[2]);
let client;
const sessions = new Map();
let errorsWired = false;
/** Outputs of the operators, so the work cannot be optimised away and can be checked. */
export const outputs = { snapshots: 0, tokenCounts: 0, chunks: 0 };

await runVariant({
  async connect(port) {
    client = new CopilotRxClient({ transport: tcpTransport({ port }), ...(dedupeWindow === undefined ? {} : { dedupeWindow }) });
    await client.start();
  },
  async createSessions(ids, onEvent, onError) {
    if (!errorsWired) {
      client.decodeErrors$.subscribe(onError);
      errorsWired = true;
    }
    await Promise.all(
      ids.map(async (sessionId) => {
        const session = await client.createSession({ sessionId, streaming: true });
        sessions.set(sessionId, session);
        if (!pipeline) {
          session.events$.subscribe(onEvent);
          return;
        }
        const events$ = session.events$.pipe(tap(onEvent), share());
        events$.pipe(accumulateText()).subscribe(() => outputs.snapshots++);
        events$.pipe(countTokens()).subscribe(() => outputs.tokenCounts++);
        events$.pipe(bufferDeltas()).subscribe(() => outputs.chunks++);
      }),
    );
  },
  send: (sessionId, prompt) => client.request('session.send', { sessionId, prompt }),
  async close() {
    await client.forceStop();
  },
});
