/**
 * Requests never wait forever: `requestTimeoutMs` (client-wide) and `timeoutMs` (per call) fail a
 * request with RequestTimeoutError naming the method and the time waited, and cancel it on the wire.
 */
import { firstValueFrom } from 'rxjs';
import { RequestTimeoutError } from '../errors';
import { FakeCli, NO_ANSWER } from '../testSupport/fakeCli';
import { CopilotRxClient } from './CopilotRxClient';

async function hangingClient(options: { requestTimeoutMs?: number } = {}) {
  const cli = new FakeCli();
  cli.handle('models.list', () => NO_ANSWER);
  cli.handle('session.create', () => NO_ANSWER);
  const client = new CopilotRxClient({ transport: cli.transport(), ...options });
  await client.start();
  return { cli, client };
}

describe('request timeouts', () => {
  it('request() with timeoutMs fails with RequestTimeoutError and sends $/cancelRequest for that id', async () => {
    const { cli, client } = await hangingClient();
    const error = await client.request('models.list', {}, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ code: 'REQUEST_TIMEOUT', method: 'models.list' });
    expect((error as RequestTimeoutError).elapsedMs).toBeGreaterThanOrEqual(95);
    expect((error as Error).message).toMatch(/models\.list got no answer .* within \d+ ms/);
    const sent = cli.requestsOf('models.list')[0];
    const cancel = await cli.nextRequest('$/cancelRequest');
    expect(cancel.params).toEqual({ id: sent?.id });
    await client.stop();
  });

  it('the client-wide requestTimeoutMs bounds createSession(), request$ and the rest', async () => {
    const { client } = await hangingClient({ requestTimeoutMs: 100 });
    await expect(client.createSession()).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT', method: 'session.create' });
    await expect(firstValueFrom(client.request$('models.list'))).rejects.toBeInstanceOf(RequestTimeoutError);
    await client.stop();
  });

  it("a call's own timeoutMs wins over the client's", async () => {
    const { client } = await hangingClient({ requestTimeoutMs: 60_000 });
    await expect(client.request('models.list', {}, { timeoutMs: 50 })).rejects.toBeInstanceOf(RequestTimeoutError);
    await client.stop();
  });

  it('timeoutMs Infinity means no deadline; zero or NaN is refused, naming the option', async () => {
    const { client } = await hangingClient({ requestTimeoutMs: 50 });
    const waiting = client.request('models.list', {}, { timeoutMs: Infinity }).catch((e: unknown) => e);
    await expect(client.request('models.list', {}, { timeoutMs: 0 })).rejects.toThrow(/timeoutMs of models.list must be a positive number.*Got 0/);
    await expect(client.request('models.list', {}, { timeoutMs: NaN })).rejects.toBeInstanceOf(RangeError);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await client.stop();
    expect(await waiting).toMatchObject({ code: 'CONNECTION_CLOSED' });
  });

  it('without a timeout the request waits, and stop() still ends it, with ConnectionClosedError', async () => {
    const { client } = await hangingClient();
    const pending = client.request('models.list').catch((e: unknown) => e);
    await client.stop();
    expect(await pending).toMatchObject({ code: 'CONNECTION_CLOSED' });
  });
});
