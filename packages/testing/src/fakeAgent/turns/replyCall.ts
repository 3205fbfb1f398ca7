/**
 * A model call that answers with text. Streamed as the CLI streams it (transcripts/raw-capi-plain):
 * each chunk is an `assistant.streaming_delta` (cumulative bytes) then an `assistant.message_delta`,
 * the first delta preceded by `assistant.message_start`; then `assistant.usage`, `assistant.message`
 * (the authoritative content) and `assistant.turn_end`. Reasoning, when scripted, streams first.
 */
import { concat, defer, of, type Observable } from 'rxjs';
import { closeModelCall, emitUsage, openModelCall } from './modelCall.js';
import { act, pause, splitText } from './steps.js';
import type { TurnHost, TurnRun } from './TurnHost.js';
import type { ReplyCall } from './TurnScript.js';

/** What a model call tells the agent loop: go on with the next call, or end the loop. */
export type CallOutcome = 'continue' | 'stop';

export function replyCall(call: ReplyCall, host: TurnHost, run: TurnRun): Observable<CallOutcome> {
  return defer(() => {
    const frame = openModelCall(host, run);
    const text = typeof call.text === 'function' ? call.text(run.toolOutcomes) : call.text;
    const messageId = host.newId();
    const reasoning = call.reasoning && { id: host.newId(), text: call.reasoning.text, chunks: splitText(call.reasoning.text, call.reasoning.chunks) };
    const chunks = splitText(text, call.chunks);
    let streamedBytes = 0;

    const reasoningDeltas = reasoning && host.streaming
      ? reasoning.chunks.map((deltaContent) => act(() => host.emit('assistant.reasoning_delta', { reasoningId: reasoning.id, deltaContent })))
      : [];
    const textDeltas = host.streaming
      ? chunks.map((deltaContent, index) =>
          concat(
            pause(call.paceMs, host.scheduler),
            act(() => {
              streamedBytes += Buffer.byteLength(deltaContent, 'utf8');
              host.emit('assistant.streaming_delta', { totalResponseSizeBytes: streamedBytes });
              if (index === 0) host.emit('assistant.message_start', { messageId });
              host.emit('assistant.message_delta', { messageId, deltaContent });
              if (call.resend?.afterChunk === index + 1) host.resend(call.resend.count);
            }),
          ),
        )
      : // Without streaming the model still takes its time; only the final message shows it.
        [pause((call.paceMs ?? 0) * chunks.length, host.scheduler)];

    return concat(
      ...reasoningDeltas,
      ...textDeltas,
      act(() => {
        emitUsage(host, run, frame, { finishReason: 'stop', outputText: text }, call.usage);
        if (reasoning) host.emit('assistant.reasoning', { reasoningId: reasoning.id, content: reasoning.text });
        host.emit('assistant.message', {
          messageId,
          model: host.model,
          content: text,
          toolRequests: [],
          interactionId: run.interactionId,
          turnId: frame.turnId,
          apiCallId: frame.apiCallId,
        });
        closeModelCall(host, run, frame);
      }),
      of<CallOutcome>('continue'),
    );
  });
}
