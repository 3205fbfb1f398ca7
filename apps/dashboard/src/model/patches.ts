/**
 * The changes the server pushes to the page. A page that connects gets one `snapshot`, then patches in
 * order; applying them to the snapshot with `applyPatch` gives the server's state (the page's app.js
 * applies the same rules to the DOM).
 */
import type { DashboardState, Health, HostView, PermissionView, RemoteState, SessionRow, SessionView, ToolView, TranscriptEntry } from './view';

export type Patch =
  | { readonly kind: 'snapshot'; readonly state: DashboardState }
  | { readonly kind: 'session-added'; readonly session: SessionView }
  /** The session is no longer shown (fleet mode: the oldest destroyed sessions beyond a bound). */
  | { readonly kind: 'session-removed'; readonly id: string }
  | { readonly kind: 'row'; readonly sessionId: string; readonly row: SessionRow }
  /** A prompt or a notice, appended to the transcript. */
  | { readonly kind: 'entry'; readonly sessionId: string; readonly entry: TranscriptEntry & { readonly kind: 'prompt' | 'notice' } }
  /** Answer text to append (coalesced deltas). */
  | { readonly kind: 'text'; readonly sessionId: string; readonly messageId: string; readonly text: string }
  /** A message's authoritative text, which replaces what was appended. */
  | { readonly kind: 'text-final'; readonly sessionId: string; readonly messageId: string; readonly text: string }
  /** A reasoning block's whole text so far, which replaces the previous one. */
  | { readonly kind: 'reasoning'; readonly sessionId: string; readonly reasoningId: string; readonly text: string }
  | { readonly kind: 'tools'; readonly sessionId: string; readonly tools: readonly ToolView[] }
  | { readonly kind: 'permissions'; readonly sessionId: string; readonly permissions: readonly PermissionView[] }
  | { readonly kind: 'health'; readonly health: Health }
  /** Fleet mode: the whole hosts list (it is short, and changes as a whole with each heartbeat). */
  | { readonly kind: 'hosts'; readonly hosts: readonly HostView[] }
  /** Fleet mode: the host's word on a session changed. */
  | { readonly kind: 'remote-state'; readonly sessionId: string; readonly state: RemoteState };

/** A patch about one session (all but snapshot, session-added, session-removed, health and hosts). */
export type SessionPatch = Extract<Patch, { readonly sessionId: string }>;

/** Entries kept per session: a long-running dashboard must not grow without bound. */
export const MAX_TRANSCRIPT_ENTRIES = 200;

function lastIndexWhere<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!)) return i;
  return -1;
}

function upsertEntry(transcript: readonly TranscriptEntry[], entry: TranscriptEntry, replaces: (e: TranscriptEntry) => boolean): TranscriptEntry[] {
  const index = lastIndexWhere(transcript, replaces);
  const next = index < 0 ? [...transcript, entry] : transcript.map((e, i) => (i === index ? entry : e));
  return next.length > MAX_TRANSCRIPT_ENTRIES ? next.slice(next.length - MAX_TRANSCRIPT_ENTRIES) : next;
}

function applyToSession(session: SessionView, patch: SessionPatch): SessionView {
  switch (patch.kind) {
    case 'row':
      return { ...session, row: patch.row };
    case 'entry':
      return { ...session, transcript: upsertEntry(session.transcript, patch.entry, () => false) };
    case 'text': {
      const isIt = (e: TranscriptEntry) => e.kind === 'answer' && e.messageId === patch.messageId;
      const previous = session.transcript[lastIndexWhere(session.transcript, isIt)];
      const text = (previous?.kind === 'answer' ? previous.text : '') + patch.text;
      return { ...session, transcript: upsertEntry(session.transcript, { kind: 'answer', messageId: patch.messageId, text }, isIt) };
    }
    case 'text-final': {
      const isIt = (e: TranscriptEntry) => e.kind === 'answer' && e.messageId === patch.messageId;
      return { ...session, transcript: upsertEntry(session.transcript, { kind: 'answer', messageId: patch.messageId, text: patch.text }, isIt) };
    }
    case 'reasoning': {
      const isIt = (e: TranscriptEntry) => e.kind === 'reasoning' && e.reasoningId === patch.reasoningId;
      return { ...session, transcript: upsertEntry(session.transcript, { kind: 'reasoning', reasoningId: patch.reasoningId, text: patch.text }, isIt) };
    }
    case 'tools':
      return { ...session, tools: patch.tools };
    case 'permissions':
      return { ...session, permissions: patch.permissions };
    case 'remote-state':
      return { ...session, remoteState: patch.state };
  }
}

/** The state after one patch. Pure; patches about an unknown session are ignored. */
export function applyPatch(state: DashboardState, patch: Patch): DashboardState {
  switch (patch.kind) {
    case 'snapshot':
      return patch.state;
    case 'session-added':
      return { ...state, sessions: [...state.sessions.filter((s) => s.id !== patch.session.id), patch.session] };
    case 'session-removed':
      return { ...state, sessions: state.sessions.filter((s) => s.id !== patch.id) };
    case 'health':
      return { ...state, health: patch.health };
    case 'hosts':
      return { ...state, hosts: patch.hosts };
    default:
      return { ...state, sessions: state.sessions.map((s) => (s.id === patch.sessionId ? applyToSession(s, patch) : s)) };
  }
}
