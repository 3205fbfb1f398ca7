import { concat, defer, of, Subject, type Observable } from 'rxjs';
import { applyPatch, type Patch } from './patches';
import type { DashboardState, Health } from './view';

export const initialHealth = (mode: Health['mode']): Health => ({
  mode,
  cli: 'idle',
  cliPid: null,
  broker: null,
  cliVersion: null,
  cliError: null,
  decodeFailures: 0,
  duplicatesDropped: 0,
  answerFailures: 0,
});

/**
 * The dashboard's state, kept on the server: every patch is applied here, then broadcast. A page that
 * connects gets the state as one snapshot, then the patches that follow it.
 */
export class DashboardStore {
  #state: DashboardState;
  readonly #patches = new Subject<Patch>();

  constructor(mode: Health['mode']) {
    this.#state = { sessions: [], hosts: [], health: initialHealth(mode) };
  }

  get state(): DashboardState {
    return this.#state;
  }

  apply(patch: Patch): void {
    this.#state = applyPatch(this.#state, patch);
    this.#patches.next(patch);
  }

  /**
   * For one page: a snapshot of the state at subscription, then every later patch. Nothing can fall
   * between the two: the snapshot is read and the patch stream joined in the same synchronous step.
   */
  updates(): Observable<Patch> {
    return defer(() => concat(of<Patch>({ kind: 'snapshot', state: this.#state }), this.#patches));
  }

  /** Ends every page's stream (the app is stopping). */
  complete(): void {
    this.#patches.complete();
  }
}
