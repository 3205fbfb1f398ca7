/**
 * The dashboard in this process, on the real Copilot CLI and the embedded scripted model (offline),
 * imported from the app's sources: the server, the store and the sessions, so a test can act through
 * HTTP and wait on the state the page is sent.
 */
import { filter, firstValueFrom, map } from 'rxjs';
import { startBackend, type Backend } from '../../../apps/dashboard/src/backend/startBackend';
import type { DashboardState, SessionView } from '../../../apps/dashboard/src/model/view';
import { startDashboard, type Dashboard } from '../../../apps/dashboard/src/startDashboard';

export interface LiveDashboard {
  readonly backend: Backend;
  readonly dashboard: Dashboard;
  /** The URL without its token. */
  readonly origin: string;
  readonly token: string;
  /** Resolves with the first state (now or later) that satisfies `predicate`. */
  until<T>(predicate: (state: DashboardState) => T | undefined | false): Promise<T>;
  session(state: DashboardState, id: string): SessionView;
  dispose(): Promise<void>;
}

export async function startLiveDashboard(options: { readonly demo: boolean }): Promise<LiveDashboard> {
  const backend = await startBackend({ live: false });
  const dashboard = await startDashboard(backend, { demo: options.demo, log: () => undefined });
  const url = new URL(dashboard.url);
  return {
    backend,
    dashboard,
    origin: url.origin,
    token: url.searchParams.get('token')!,
    until: (predicate) =>
      firstValueFrom(
        dashboard.store.updates().pipe(
          map(() => predicate(dashboard.store.state)),
          filter(<T>(value: T | undefined | false): value is T => value !== undefined && value !== false),
        ),
      ),
    session: (state, id) => {
      const found = state.sessions.find((s) => s.id === id);
      if (!found) throw new Error(`No session ${id} in the state`);
      return found;
    },
    dispose: async () => {
      await dashboard.close();
      await backend.stop();
    },
  };
}
