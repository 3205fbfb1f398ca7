/**
 * Fidelity of core's hooks to the real CLI: every `hooks.invoke` request recorded from a real CLI
 * (1.0.81 under the official SDK's own suite, and 1.0.102 under copilot-rx) is replayed into a client
 * whose session installed hooks like the recording's. Each installed hook gets the recorded input with
 * the fields its type promises, and the answers match what was answered in the recording (an
 * absent output and `output: null` both mean "go on unchanged").
 */
import { readTranscriptRecords } from '../../../../fixtures/transcripts';
import { CopilotRxClient } from '../client/CopilotRxClient';
import { FakeCli } from '../testSupport/fakeCli';
import type { SessionHooks } from './hooks';

interface Invoke {
  readonly id: number | string;
  readonly params: { readonly sessionId: string; readonly hookType: string; readonly input: Record<string, unknown> };
}

/** The recorded `hooks.invoke` requests of a transcript, each with the answer it got. */
function recordedInvocations(name: string): { request: Invoke; answer: unknown }[] {
  const records = readTranscriptRecords(name);
  const requests = records.flatMap(({ dir, msg }) => {
    const message = msg as { method?: string } & Invoke;
    return dir === 'cli->client' && message.method === 'hooks.invoke' ? [message] : [];
  });
  return requests.map((request) => {
    const reply = records.find(({ dir, msg }) => dir === 'client->cli' && (msg as { id?: unknown; result?: unknown }).id === request.id && 'result' in (msg as object));
    return { request, answer: (reply?.msg as { result?: unknown } | undefined)?.result };
  });
}

/** `{ output: null }` and `{}` say the same: no output. */
function normalize(answer: unknown): unknown {
  const output = (answer as { output?: unknown } | undefined)?.output;
  return output === null || output === undefined ? {} : { output };
}

/** What each installed hook type's input must carry, per its type in hooks.ts. */
const PROMISED_FIELDS: Record<string, readonly string[]> = {
  preToolUse: ['toolName', 'toolArgs', 'timestamp', 'cwd'],
  postToolUse: ['toolName', 'toolArgs', 'toolResult'],
  userPromptSubmitted: ['prompt'],
  sessionStart: ['source'],
  sessionEnd: ['reason'],
  errorOccurred: ['error'],
};

describe.each(['cli-1.0.81/subagent_hooks.jsonl', 'cli-1.0.102/parity.jsonl'])('hooks.invoke recorded in %s', (name) => {
  const invocations = recordedInvocations(name);

  it('reaches the installed hook with the fields its type promises, and is answered as in the recording', async () => {
    expect(invocations.length).toBeGreaterThan(5);
    const cli = new FakeCli();
    const client = new CopilotRxClient({ transport: cli.transport() });
    await client.start();
    const seen: { hookType: string; input: Record<string, unknown> }[] = [];
    const record = (hookType: string) => (input: object) => void seen.push({ hookType, input: input as Record<string, unknown> });
    // The recordings' own hooks: preToolUse allowed every tool, the others returned nothing.
    const hooks: SessionHooks = {
      onPreToolUse: (input) => (record('preToolUse')(input), { permissionDecision: 'allow' }),
      onPostToolUse: record('postToolUse'),
      onUserPromptSubmitted: record('userPromptSubmitted'),
      onSessionStart: record('sessionStart'),
      onSessionEnd: record('sessionEnd'),
      onErrorOccurred: record('errorOccurred'),
    };
    for (const sessionId of new Set(invocations.map(({ request }) => request.params.sessionId))) {
      await client.createSession({ sessionId, hooks });
    }
    for (const { request, answer } of invocations) {
      const ours = await cli.request('hooks.invoke', request.params);
      expect({ hookType: request.params.hookType, answer: normalize(ours.result) }).toEqual({
        hookType: request.params.hookType,
        answer: normalize(answer),
      });
    }
    const installed = invocations.filter(({ request }) => request.params.hookType in PROMISED_FIELDS);
    expect(seen.map(({ hookType }) => hookType)).toEqual(installed.map(({ request }) => request.params.hookType));
    for (const { hookType, input } of seen) {
      for (const field of PROMISED_FIELDS[hookType] ?? []) expect({ hookType, [field]: input[field] }).not.toEqual({ hookType, [field]: undefined });
    }
    await client.stop();
  });
});
