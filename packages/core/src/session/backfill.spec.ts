import type { SessionEvent } from '../codecs/sessionEvent';
import { backfill } from './backfill';

type Read = (params: { cursor?: string; max?: number; includeEphemeral?: boolean }) => Promise<{
  events: Record<string, unknown>[];
  cursor: string;
  hasMore: boolean;
  cursorStatus: 'ok' | 'expired';
}>;

function logOf(pages: Record<string, { ids: string[]; next: string; hasMore: boolean; status?: 'ok' | 'expired' }>) {
  const calls: { cursor?: string; includeEphemeral?: boolean }[] = [];
  const read: Read = async (params) => {
    calls.push(params);
    const page = pages[params.cursor ?? '']!;
    return { events: page.ids.map((id) => ({ id })), cursor: page.next, hasMore: page.hasMore, cursorStatus: page.status ?? 'ok' };
  };
  return { calls, rpc: { eventLog: { read } } as never };
}

const admitNew = (seen: Set<string>) => (raw: unknown) => {
  const id = (raw as { id: string }).id;
  if (seen.has(id)) return undefined;
  seen.add(id);
  return { id } as unknown as SessionEvent;
};

describe('backfill', () => {
  it('reads page by page from the cursor to the tail and delivers only what was not seen, in order', async () => {
    const { calls, rpc } = logOf({
      'c|1': { ids: ['a', 'b'], next: 'b|3', hasMore: true },
      'b|3': { ids: ['c', 'd'], next: 'd|5', hasMore: false },
    });
    const delivered: string[] = [];
    const result = await backfill({ rpc, cursor: 'c|1', admit: admitNew(new Set(['a', 'c'])), deliver: (event) => void delivered.push(event.id) });
    expect(delivered).toEqual(['b', 'd']);
    expect(result).toEqual({ cursor: 'd|5', delivered: 2, expired: false });
    expect(calls.map((call) => call.cursor)).toEqual(['c|1', 'b|3']);
    expect(calls.every((call) => call.includeEphemeral === true)).toBe(true);
  });

  it('reads from the beginning without a cursor, persisted events only when asked', async () => {
    const { calls, rpc } = logOf({ '': { ids: ['a'], next: 'a|1', hasMore: false } });
    await backfill({ rpc, cursor: undefined, includeEphemeral: false, admit: admitNew(new Set()), deliver: () => undefined });
    expect(calls).toEqual([{ max: 1000, includeEphemeral: false }]);
  });

  it('says so when the CLI reports the cursor expired, and still delivers what it has', async () => {
    const { rpc } = logOf({ 'gone|9': { ids: ['a', 'b'], next: 'b|2', hasMore: false, status: 'expired' } });
    const delivered: string[] = [];
    const result = await backfill({ rpc, cursor: 'gone|9', admit: admitNew(new Set(['a'])), deliver: (event) => void delivered.push(event.id) });
    expect(result.expired).toBe(true);
    expect(delivered).toEqual(['b']);
  });

  it('fails with the read error (the caller decides whether to try again)', async () => {
    const rpc = { eventLog: { read: () => Promise.reject(new Error('link lost')) } } as never;
    await expect(backfill({ rpc, cursor: 'x|1', admit: () => undefined, deliver: () => undefined })).rejects.toThrow('link lost');
  });
});
