import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VirtualTimeScheduler } from 'rxjs';
import { FakeCopilotAgent } from '../fakeAgent/FakeCopilotAgent';
import { RpcTestClient } from '../fakeAgent/testSupport/RpcTestClient';
import { recordedTranscript } from '../fakeAgent/testSupport/recordedTranscripts';
import { WEATHER_TOOL } from '../fakeAgent/testSupport/session';
import { loadTranscript, parseTranscript, TranscriptFormatError } from './format';
import { recordTranscript } from './recordTranscript';
import { replayTranscript } from './replayTranscript';

/** What the recorded client of the shared transcripts did, replayed by a test client with its own session id. */
async function plainConversation(client: RpcTestClient, sessionId: string, prompt = 'Say hello'): Promise<void> {
  await client.request('connect', { supportedTaskKinds: ['agent', 'client', 'shell'] });
  await client.request('session.create', { sessionId, model: 'claude-sonnet-4.5', streaming: true, requestPermission: true, envValueMode: 'direct', tools: [WEATHER_TOOL] });
  await client.request('session.send', { sessionId, prompt });
  await client.waitForEvent('session.idle');
}

/** Lets the event loop turn until `condition` holds (streams deliver on later ticks). */
async function until(condition: () => boolean): Promise<void> {
  for (let turns = 0; !condition(); turns++) {
    if (turns > 1_000) throw new Error('condition not reached after 1000 event-loop turns');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('transcripts', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'copilot-rx-transcripts-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('records every message both ways, in the shared transcripts format, without changing the bytes', async () => {
    let now = 1_000;
    const { readable, writable, recorder } = recordTranscript(new FakeCopilotAgent().connectInMemory(), { clock: () => now++ });
    const client = new RpcTestClient(readable, writable);
    await plainConversation(client, 'recorded-session');

    const sent = recorder.entries.filter((entry) => entry.dir === 'client->cli').map((entry) => (entry.msg as { method: string }).method);
    expect(sent).toEqual(['connect', 'session.create', 'session.send']);
    expect(recorder.entries.filter((entry) => entry.dir === 'cli->client').map((entry) => entry.msg)).toEqual(client.received);
    expect(recorder.entries[0]).toEqual({ t: 1_000, dir: 'client->cli', msg: { jsonrpc: '2.0', id: 0, method: 'connect', params: { supportedTaskKinds: ['agent', 'client', 'shell'] } } });

    const file = path.join(dir, 'recorded.jsonl');
    await recorder.save(file);
    expect(await loadTranscript(file)).toEqual(recorder.entries);
    expect((await readFile(file, 'utf8')).split('\n')[0]).toBe(JSON.stringify(recorder.entries[0]));
  });

  it('round-trips: a replay answers the same requests with what was recorded, under the new session id', async () => {
    const recording = recordTranscript(new FakeCopilotAgent().connectInMemory());
    const original = new RpcTestClient(recording.readable, recording.writable);
    await plainConversation(original, 'field-session');
    const file = path.join(dir, 'field.jsonl');
    await recording.recorder.save(file);

    const replay = await replayTranscript(file);
    const connection = replay.connectInMemory();
    const client = new RpcTestClient(connection.readable, connection.writable);
    await plainConversation(client, 'test-session');
    await connection.replay.done;

    const asTestSession = JSON.parse(JSON.stringify(original.received).split('field-session').join('test-session'));
    expect(client.received).toEqual(asTestSession);
    expect(connection.replay.unexpectedRequests).toEqual([]);
  });

  it('replays the real CLI plain answer (fixtures/transcripts/raw-capi-plain) to a client with its own session id', async () => {
    const replay = await replayTranscript(recordedTranscript('raw-capi-plain.jsonl'));
    const connection = replay.connectInMemory();
    const client = new RpcTestClient(connection.readable, connection.writable);
    await plainConversation(client, 'my-own-session');
    const text = client
      .events('my-own-session')
      .filter((event) => event.type === 'assistant.message_delta')
      .map((event) => (event.data as { deltaContent: string }).deltaContent)
      .join('');
    expect(text).toBe('Hello from the fake model. This answer is streamed in small chunks so the client sees several deltas.');
    expect(client.events().every((event) => !JSON.stringify(event).includes('0d2c7f2c'))).toBe(true); // the recorded id is gone
  });

  it('answers a request the transcript has no counterpart for with an error that names it', async () => {
    const replay = await replayTranscript(recordedTranscript('raw-capi-plain.jsonl'));
    const connection = replay.connectInMemory();
    const client = new RpcTestClient(connection.readable, connection.writable);
    await expect(client.request('models.list')).rejects.toMatchObject({
      code: -32603,
      message: 'Replay: the transcript has no (more) models.list request to answer this one with',
    });
    expect(connection.replay.unexpectedRequests).toEqual(['models.list']);
  });

  it('keeps the recorded gaps with pace "recorded", on the given clock', async () => {
    const entries = parseTranscript(
      [
        { t: 0, dir: 'client->cli', msg: { jsonrpc: '2.0', id: 0, method: 'ping', params: {} } },
        { t: 10, dir: 'cli->client', msg: { jsonrpc: '2.0', method: 'note', params: { n: 1 } } },
        { t: 510, dir: 'cli->client', msg: { jsonrpc: '2.0', id: 0, result: {} } },
      ]
        .map((entry) => JSON.stringify(entry))
        .join('\n'),
    );
    const scheduler = new VirtualTimeScheduler();
    const replay = await replayTranscript(entries, { pace: 'recorded', scheduler, endWhenDone: true });
    const connection = replay.connectInMemory();
    const client = new RpcTestClient(connection.readable, connection.writable);
    const answered = client.request('ping');
    await until(() => connection.replay.played === 1); // the ping is matched; the reply now waits on the clock
    expect(client.received).toEqual([]);
    scheduler.maxFrames = 10;
    scheduler.flush();
    await client.waitFor((message) => message.method === 'note');
    expect(client.received).toHaveLength(1);
    scheduler.maxFrames = Infinity;
    scheduler.flush();
    await expect(answered).resolves.toEqual({});
    await client.ended;
    await expect(connection.replay.done).resolves.toBeUndefined();
  });

  it('rejects a malformed transcript line, naming the line and the field', () => {
    expect(() => parseTranscript('{"t":1,"dir":"client->cli","msg":{}}\n\n{"t":2,"dir":"sideways","msg":{}}')).toThrow(
      new TranscriptFormatError('line 3: "dir" must be "client->cli" or "cli->client". Got "sideways"'),
    );
    expect(() => parseTranscript('not json')).toThrow(/^line 1: not JSON/);
  });
});
