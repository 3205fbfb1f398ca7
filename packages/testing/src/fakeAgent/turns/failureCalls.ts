/**
 * Model calls that fail: an HTTP error (transcripts/raw-capi-http400: `assistant.turn_end`, then
 * `session.error`, then idle), a rate limit that offers a switch to auto mode and holds idle until the
 * client answers (real-cli.md §4c), a crash of the whole agent, and a model that stops answering.
 */
import { concat, defer, map, NEVER, of, type Observable } from 'rxjs';
import { describe, RpcError, RpcErrorCode } from '../rpc/messages.js';
import { closeModelCall, openModelCall } from './modelCall.js';
import type { CallOutcome } from './replyCall.js';
import { act, pause, splitText } from './steps.js';
import type { TurnHost, TurnRun } from './TurnHost.js';
import type { CrashCall, HangCall, QueryErrorCall, RateLimitCall } from './TurnScript.js';

export function queryErrorCall(call: QueryErrorCall, host: TurnHost, run: TurnRun): Observable<CallOutcome> {
  return defer(() => {
    const frame = openModelCall(host, run);
    const message = call.message ?? `Execution failed: ${call.statusCode} fake upstream failure (${call.statusCode})`;
    host.emit('model.call_failure', {
      model: host.model,
      statusCode: call.statusCode,
      failureKind: 'api',
      source: 'top_level',
      errorMessage: `${call.statusCode} fake upstream failure`,
      durationMs: host.scheduler.now() - frame.startedAt,
    });
    closeModelCall(host, run, frame);
    host.emit('session.error', { errorType: call.errorType ?? 'query', message, statusCode: call.statusCode });
    return of<CallOutcome>('stop');
  });
}

const AUTO_MODE_RESPONSES: ReadonlySet<string> = new Set(['yes', 'yes_always', 'no']);

export function rateLimitCall(call: RateLimitCall, host: TurnHost, run: TurnRun): Observable<CallOutcome> {
  return defer(() => {
    const frame = openModelCall(host, run);
    host.emit('model.call_failure', { model: host.model, statusCode: 429, failureKind: 'rate_limit', source: 'top_level', durationMs: 0 });
    closeModelCall(host, run, frame);
    host.emit('session.error', {
      errorType: 'rate_limit',
      message: call.message ?? "Sorry, you've hit a rate limit that restricts the number of Copilot model requests you can make within a specific time period.",
      statusCode: 429,
      errorCode: 'rate_limited',
      eligibleForAutoSwitch: true,
    });
    const requestId = host.newId();
    host.emit('auto_mode_switch.requested', { requestId, errorCode: 'rate_limited', retryAfterSeconds: call.retryAfterSeconds ?? 0 });
    return host
      .waitForAnswer('autoModeSwitch', requestId, (params) => {
        const response = params.string('response');
        if (!AUTO_MODE_RESPONSES.has(response)) {
          throw new RpcError(RpcErrorCode.InvalidParams, `Invalid params for ${params.method}: response must be "yes", "yes_always" or "no". Got ${describe(response)}`);
        }
        host.emit('auto_mode_switch.completed', { requestId, response });
        return response;
      })
      .pipe(map((): CallOutcome => 'stop'));
  });
}

export const DEFAULT_CRASH_STDERR = 'fatal: the fake Copilot agent crashed (scripted)';

export function crashCall(call: CrashCall, host: TurnHost, run: TurnRun): Observable<CallOutcome> {
  return defer(() => {
    openModelCall(host, run);
    const messageId = host.newId();
    const partial = call.partialText === undefined ? [] : splitText(call.partialText, call.chunks);
    return concat(
      ...partial.map((deltaContent, index) =>
        concat(
          pause(call.paceMs, host.scheduler),
          act(() => {
            if (!host.streaming) return;
            if (index === 0) host.emit('assistant.message_start', { messageId });
            host.emit('assistant.message_delta', { messageId, deltaContent });
          }),
        ),
      ),
      act(() => host.crash({ exitCode: call.exitCode ?? 1, stderr: call.stderr ?? DEFAULT_CRASH_STDERR })),
      // A dead process says nothing more.
      NEVER,
    );
  });
}

export function hangCall(call: HangCall, host: TurnHost, run: TurnRun): Observable<CallOutcome> {
  return defer(() => {
    openModelCall(host, run);
    const messageId = host.newId();
    const partial = call.partialText === undefined ? [] : splitText(call.partialText, call.chunks);
    return concat(
      act(() => {
        if (!host.streaming) return;
        let streamedBytes = 0;
        partial.forEach((deltaContent, index) => {
          streamedBytes += Buffer.byteLength(deltaContent, 'utf8');
          host.emit('assistant.streaming_delta', { totalResponseSizeBytes: streamedBytes });
          if (index === 0) host.emit('assistant.message_start', { messageId });
          host.emit('assistant.message_delta', { messageId, deltaContent });
        });
      }),
      // The model never says more: only abort, destroy or the agent's end (all unsubscribe) stop it.
      NEVER,
    );
  });
}
