import { PassThrough } from 'node:stream';
import { recordTranscript } from './recordTranscript';
import { REDACTED, redactSecrets } from './redactSecrets';

function frame(message: object): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'latin1'), body]);
}

const create = {
  jsonrpc: '2.0',
  id: 1,
  method: 'session.create',
  params: {
    sessionId: 's1',
    gitHubToken: 'ghp_secret',
    provider: { type: 'openai', baseUrl: 'http://127.0.0.1:1', apiKey: 'sk-secret', headers: { Authorization: 'Bearer sk-secret' } },
  },
};

/** Records one client→CLI message through a tapped stream pair; resolves with the bytes that reached the CLI. */
async function recordOne(message: object, keepSecrets?: boolean) {
  const toCli = new PassThrough();
  const tapped = recordTranscript({ readable: new PassThrough(), writable: toCli }, keepSecrets === undefined ? {} : { keepSecrets });
  const wire: Buffer[] = [];
  toCli.on('data', (chunk: Buffer) => wire.push(chunk));
  tapped.writable.write(frame(message));
  await new Promise((resolve) => setImmediate(resolve));
  return { recorded: tapped.recorder.entries.map((entry) => entry.msg), wire: Buffer.concat(wire) };
}

describe('recordTranscript and secrets', () => {
  it('writes credentials into the transcript as [redacted] by default, and passes the bytes on unchanged', async () => {
    const { recorded, wire } = await recordOne(create);
    expect(wire.equals(frame(create))).toBe(true);
    expect(recorded).toEqual([
      {
        ...create,
        params: {
          sessionId: 's1',
          gitHubToken: REDACTED,
          provider: { type: 'openai', baseUrl: 'http://127.0.0.1:1', apiKey: REDACTED, headers: { Authorization: REDACTED } },
        },
      },
    ]);
    expect(JSON.stringify(recorded)).not.toContain('secret');
  });

  it('keeps them when asked (keepSecrets: true)', async () => {
    const { recorded } = await recordOne(create, true);
    expect(recorded).toEqual([create]);
  });

  it('redacts the connect token, leaves token counts and empty values alone', () => {
    const connect = { method: 'connect', params: { token: 'tcp-token' } };
    const usage = { data: { inputTokens: 12, outputTokens: 3, tokenLimit: 100, tokenizer: 'o200k', token: '' } };
    redactSecrets(connect);
    redactSecrets(usage);
    expect(connect.params.token).toBe(REDACTED);
    expect(usage.data).toEqual({ inputTokens: 12, outputTokens: 3, tokenLimit: 100, tokenizer: 'o200k', token: '' });
  });

  it('stops at a bounded depth on a hostile, deeply nested message instead of overflowing the stack', () => {
    let deep: unknown = { apiKey: 'too-deep-to-matter' };
    for (let i = 0; i < 20_000; i++) deep = { nested: deep };
    expect(() => redactSecrets(deep)).not.toThrow();
  });
});
