import { asyncScheduler, combineLatest, map, merge, scan, share, startWith, tap, throttleTime, type Observable } from 'rxjs';
import { bufferDeltas, countTokens, streamMetrics, toolCalls, type ToolCallState } from '@copilot-rx/operators';
import type { Backend } from '../backend/startBackend';
import { demoTools } from '../backend/demoTools';
import { describeError } from '../describeError';
import { FRAME_MS } from '../model/frameRate';
import { StatusLine, type TerminalStreams } from './StatusLine';
import { statusText } from './statusText';

/** The status line is redrawn at most this often: it is read, not watched frame by frame. */
const STATUS_MS = 100;

const throttled = <T>(source: Observable<T>): Observable<T> => source.pipe(throttleTime(STATUS_MS, asyncScheduler, { leading: true, trailing: true }));

/** Names of the tools running now, from `toolCalls`. */
function runningTools(events$: Observable<{ readonly type: string }>): Observable<readonly string[]> {
  return events$.pipe(
    toolCalls(),
    scan((running: ReadonlyMap<string, ToolCallState>, call) => {
      const next = new Map(running);
      if (call.status === 'running') next.set(`${call.agentId ?? ''}\u0000${call.toolCallId}`, call);
      else next.delete(`${call.agentId ?? ''}\u0000${call.toolCallId}`);
      return next;
    }, new Map<string, ToolCallState>()),
    map((running) => [...running.values()].map((call) => call.toolName)),
    startWith([]),
  );
}

/**
 * Terminal mode: one prompt in a new session, the answer streamed to stdout (coalesced to the frame
 * rate with `bufferDeltas`, messages separated by a blank line), and a live status line on stderr when
 * it is a terminal: output tokens (`countTokens`), tokens per second and time to first token
 * (`streamMetrics`), and the tool in progress (`toolCalls`). Tool permission prompts are denied: in
 * this mode nobody could approve them (the dashboard can).
 *
 * Resolves with the exit code: 0 when the turn ended well, 1 when it failed (the reason goes to
 * stderr). `signal` aborts the turn (Ctrl-C).
 */
export async function runTerminal(backend: Backend, prompt: string, streams: TerminalStreams, signal: AbortSignal): Promise<number> {
  const session = await backend.client.createSession(backend.sessionConfig({ tools: demoTools }));
  const status = new StatusLine(streams);
  const turn$ = session.send({ prompt }).pipe(share());

  let lastMessage: string | undefined;
  const text$ = turn$.pipe(
    bufferDeltas({ timeMs: FRAME_MS }),
    tap(({ messageId, text }) => {
      if (lastMessage !== undefined && lastMessage !== messageId) status.writeText(status.atLineStart ? '\n' : '\n\n');
      lastMessage = messageId;
      status.writeText(text);
    }),
  );
  const status$ = combineLatest({
    tokens: turn$.pipe(countTokens(), throttled, startWith(undefined)),
    metrics: turn$.pipe(streamMetrics(), throttled, startWith(undefined)),
    // Not throttled: a tool may start and end within one redraw interval, and must still show.
    tools: runningTools(turn$),
  }).pipe(tap((inputs) => status.set(statusText(inputs))));

  return new Promise<number>((resolve) => {
    const finish = (code: number, message?: string): void => {
      status.clear();
      if (!status.atLineStart) streams.stdout.write('\n');
      if (message !== undefined) streams.stderr.write(`copilot-rx: ${message}\n`);
      resolve(code);
    };
    const subscription = merge(text$, status$).subscribe({
      error: (error: unknown) => finish(1, describeError(error)),
      complete: () => finish(0),
    });
    // Ctrl-C unsubscribes, and unsubscribing from a running turn aborts it on the CLI.
    const onAbort = (): void => {
      if (subscription.closed) return;
      subscription.unsubscribe();
      finish(130, 'aborted');
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
