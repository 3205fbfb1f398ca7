/**
 * The fake agent against the real CLI: the same client requests as in the recorded transcripts
 * (fixtures/transcripts/raw-capi-plain and raw-capi-tool, CLI 1.0.102) must give the same wire sequence,
 * once the noise no client relies on is filtered out: `model.*` events (debug traffic) and the built-in
 * GitHub MCP server failing to start (`session.mcp_*`). The remaining differences are listed in
 * packages/testing/README.md.
 */
import { decodeSessionEvent } from '@copilot-rx/core';
import { isLeft } from 'fp-ts/Either';
import { VirtualTimeScheduler } from 'rxjs';
import type { TranscriptEntry } from '../transcripts/format';
import { FakeCopilotAgent } from './FakeCopilotAgent';
import { RpcTestClient } from './testSupport/RpcTestClient';
import { recordedTranscript } from './testSupport/recordedTranscripts';

interface Message {
  readonly id?: number | string | null;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
}

/** Noise: debug events and the MCP server that fails in every recorded run. */
function isNoise(line: string): boolean {
  return line.startsWith('E model.') || line.startsWith('E session.mcp_');
}

/** The wire as lines: `E <event>`, `L <lifecycle>`, `R <method answered>`, `C <client request>`. */
function outline(entries: readonly { readonly dir: TranscriptEntry['dir']; readonly msg: Message }[]): string[] {
  const methods = new Map<unknown, string>();
  const lines: string[] = [];
  for (const { dir, msg } of entries) {
    if (dir === 'client->cli') {
      if (msg.method !== undefined) {
        methods.set(msg.id, msg.method);
        lines.push(`C ${msg.method}`);
      }
    } else if (msg.method === 'session.event') lines.push(`E ${(msg.params?.['event'] as { type: string }).type}`);
    else if (msg.method === 'session.lifecycle') lines.push(`L ${String(msg.params?.['type'])}`);
    else if (msg.method !== undefined) lines.push(`N ${msg.method}`);
    else lines.push(`R ${methods.get(msg.id) ?? '?'}`);
  }
  return lines.filter((line) => !isNoise(line));
}

/**
 * Drives the fake with the recorded client's requests in the recorded order. Before each request the
 * fake's clock (virtual) moves on until the fake has said as much as the CLI had said at that point,
 * so paced scenarios (an abort after five deltas) line up too.
 */
async function replayClientSide(recorded: readonly TranscriptEntry[], answer: (request: Message, client: RpcTestClient) => Message): Promise<{ dir: TranscriptEntry['dir']; msg: Message }[]> {
  const scheduler = new VirtualTimeScheduler();
  scheduler.maxFrames = 0;
  const agent = new FakeCopilotAgent({ scheduler });
  const { readable, writable } = agent.connectInMemory();
  const client = new RpcTestClient(readable, writable);
  const wire: { dir: TranscriptEntry['dir']; msg: Message }[] = [];
  const expected = outline(recorded.map((entry) => ({ dir: entry.dir, msg: entry.msg as Message })));
  let seen = 0;
  const takeReceived = () => {
    for (const message of client.received.slice(seen)) wire.push({ dir: 'cli->client', msg: message as Message });
    seen = client.received.length;
  };
  const catchUp = async (untilLine: number) => {
    const saidBefore = expected.slice(0, untilLine).filter((line) => !line.startsWith('C')).length;
    for (;;) {
      await settled(client);
      takeReceived();
      const said = outline(wire).filter((line) => !line.startsWith('C')).length;
      if (said >= saidBefore || scheduler.actions.length === 0) return;
      scheduler.maxFrames += 1; // one virtual millisecond at a time
      scheduler.flush();
    }
  };
  let requests = 0;
  for (const entry of recorded) {
    if (entry.dir !== 'client->cli') continue;
    await catchUp(nthIndex(expected, (line) => line.startsWith('C '), requests++));
    const request = answer(entry.msg as Message, client);
    wire.push({ dir: 'client->cli', msg: request });
    void client.request(request.method ?? '', request.params ?? {}).catch(() => undefined);
  }
  await catchUp(expected.length);
  await agent.close();
  return wire;
}

/** The index of the n-th (0-based) line that matches. */
function nthIndex(lines: readonly string[], matches: (line: string) => boolean, n: number): number {
  let found = -1;
  for (let i = 0; i < lines.length; i++) if (matches(lines[i] as string) && ++found === n) return i;
  return lines.length;
}

/** Resolves once nothing new has arrived for 10 event-loop turns. */
async function settled(client: RpcTestClient): Promise<void> {
  let quietTurns = 0;
  let count = client.received.length;
  while (quietTurns < 10) {
    await new Promise((resolve) => setImmediate(resolve));
    quietTurns = client.received.length === count ? quietTurns + 1 : 0;
    count = client.received.length;
  }
}

/** Answers the broadcast requests as the recorded client did, with the request ids the fake issued. */
function withLiveRequestIds(request: Message, client: RpcTestClient): Message {
  const params = request.params ?? {};
  if (request.method === 'session.permissions.handlePendingPermissionRequest' || request.method === 'session.tools.handlePendingToolCall') {
    const type = request.method.includes('permissions') ? 'permission.requested' : 'external_tool.requested';
    const event = client.events().filter((candidate) => candidate.type === type).at(-1);
    return { ...request, params: { ...params, requestId: (event?.data as { requestId?: string } | undefined)?.requestId } };
  }
  return request;
}

describe('the fake agent against the recorded real CLI (1.0.102)', () => {
  it.each(['raw-capi-plain.jsonl', 'raw-capi-tool.jsonl', 'raw-capi-abort.jsonl', 'raw-capi-http400.jsonl'])('%s: same wire sequence once model.* and the MCP noise are filtered', async (file) => {
    const recorded = recordedTranscript(file);
    const fake = await replayClientSide(recorded, withLiveRequestIds);
    expect(outline(fake)).toEqual(outline(recorded.map((entry) => ({ dir: entry.dir, msg: entry.msg as Message }))));
  });

  it.each(['raw-capi-plain.jsonl', 'raw-capi-tool.jsonl', 'raw-capi-abort.jsonl', 'raw-capi-http400.jsonl'])('%s: every event the fake sends decodes with core to itself', async (file) => {
    const fake = await replayClientSide(recordedTranscript(file), withLiveRequestIds);
    const events = fake.filter((item) => item.msg.method === 'session.event').map((item) => item.msg.params?.['event']);
    expect(events.length).toBeGreaterThan(10);
    for (const event of events) {
      const decoded = decodeSessionEvent(event);
      if (isLeft(decoded)) throw new Error(`${decoded.left.eventType ?? '?'}: ${decoded.left.messages.join('; ')}`);
    }
  });
});
