/**
 * The official SDK (@github/copilot-sdk, pinned in the root package.json) connected to the replay
 * server over TCP (`RuntimeConnection.forUri`), with one `session.on` handler per session.
 */
import { CopilotClient, RuntimeConnection, approveAll } from '@github/copilot-sdk';
import { runVariant } from './runVariant.mjs';

let client;
const sessions = new Map();

await runVariant({
  async connect(port) {
    client = new CopilotClient({ connection: RuntimeConnection.forUri(`127.0.0.1:${port}`), logLevel: 'none' });
    await client.start();
  },
  async createSessions(ids, onEvent) {
    await Promise.all(
      ids.map(async (sessionId) => {
        const session = await client.createSession({ sessionId, streaming: true, onPermissionRequest: approveAll });
        session.on(onEvent);
        sessions.set(sessionId, session);
      }),
    );
  },
  send: (sessionId, prompt) => sessions.get(sessionId).send({ prompt }),
  async close() {
    await client.forceStop();
  },
});
