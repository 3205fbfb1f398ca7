/**
 * The store's snapshot-then-patches contract: a page that connects late rebuilds the same state.
 */
import { lastValueFrom, take, toArray } from 'rxjs';
import { DashboardStore } from './DashboardStore';
import { applyPatch, type Patch } from './patches';
import { emptyRow } from './view';

describe('DashboardStore', () => {
  it('gives a new page the state as one snapshot, then the patches after it, which rebuild the same state', async () => {
    const store = new DashboardStore('offline');
    store.apply({ kind: 'session-added', session: { id: 's1', label: 'one', row: emptyRow('m'), transcript: [], tools: [], permissions: [] } });
    store.apply({ kind: 'text', sessionId: 's1', messageId: 'a', text: 'Hel' });
    const received = lastValueFrom(store.updates().pipe(take(3), toArray()));
    store.apply({ kind: 'text', sessionId: 's1', messageId: 'a', text: 'lo' });
    store.apply({ kind: 'entry', sessionId: 's1', entry: { kind: 'prompt', text: 'next' } });
    const patches: Patch[] = await received;
    expect(patches[0]).toMatchObject({ kind: 'snapshot', state: { sessions: [{ transcript: [{ kind: 'answer', text: 'Hel' }] }] } });
    const rebuilt = patches.reduce(applyPatch, { sessions: [], hosts: [], health: store.state.health });
    expect(rebuilt).toEqual(store.state);
    expect(rebuilt.sessions[0]!.transcript).toEqual([
      { kind: 'answer', messageId: 'a', text: 'Hello' },
      { kind: 'prompt', text: 'next' },
    ]);
  });
});
