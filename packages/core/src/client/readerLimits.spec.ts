import { firstValueFrom, take, toArray } from 'rxjs';
import { FakeCli } from '../testSupport/fakeCli';
import { CopilotRxClient } from './CopilotRxClient';

describe('CopilotRxClient reader option', () => {
  it('passes the reader limits to the connection: a frame above maxMessageBytes is skipped and reported, the next one delivered', async () => {
    const cli = new FakeCli();
    const client = new CopilotRxClient({ transport: cli.transport(), reader: { maxMessageBytes: 256 } });
    await client.start();
    const reports = firstValueFrom(client.malformed$.pipe(take(2), toArray()));
    const next = firstValueFrom(client.otherNotifications$);

    cli.notify('host.event', { padding: 'x'.repeat(1000) });
    cli.notify('host.event', { small: true });

    expect((await reports).map((r) => r.reason)).toEqual(['too-large', 'resynchronised']);
    expect((await reports)[0]!.message).toContain('above the limit of 256 bytes');
    expect(await next).toMatchObject({ method: 'host.event', params: { small: true } });
    await client.stop();
  });
});
