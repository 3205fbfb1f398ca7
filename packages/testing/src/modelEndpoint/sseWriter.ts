import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResponsePlan, StreamStep } from './responsePlan.js';

type StreamPlan = Extract<ResponsePlan, { type: 'stream' }>;

/** Waits `ms` between chunks; rejects (or resolves) early when `signal` aborts. */
export type Pause = (ms: number, signal: AbortSignal) => Promise<void>;

/** The real pause: a timer that the abort signal cancels, so a closing endpoint leaves no timer behind. */
export const realPause: Pause = (ms, signal) => sleep(ms, undefined, { signal });

/**
 * Plays a stream plan as `text/event-stream`, one `data: {json}\n\n` frame per step, in the format of
 * OpenAI's chat-completions stream. Every frame goes out as soon as it is written (headers flushed
 * first, Nagle off), because the CLI turns each chunk into its own `assistant.message_delta` and tests
 * watch them arrive. Respects backpressure, so a 20,000-chunk flood does not pile up in memory.
 *
 * Resolves when the stream ended, was cut as scripted, or `signal` aborted (the client went away or
 * the endpoint is closing); a hanging stream resolves only on abort.
 */
export async function writeSseStream(
  res: ServerResponse,
  plan: StreamPlan,
  responseId: string,
  signal: AbortSignal,
  pause: Pause = realPause,
): Promise<void> {
  res.socket?.setNoDelay(true);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  const frame = (payload: Record<string, unknown>) =>
    `data: ${JSON.stringify({ id: responseId, object: 'chat.completion.chunk', created: 0, model: plan.model, ...payload })}\n\n`;
  // Settles once the latest frame was handed to the socket; a scripted cut waits for it.
  let flushed = Promise.resolve();
  const send = async (text: string) => {
    flushed = new Promise<void>((resolve) => res.write(text, () => resolve()));
    if (res.writableNeedDrain) await once(res, 'drain', { signal });
  };
  try {
    for (const [i, step] of plan.steps.entries()) {
      if (i > 0 && plan.paceMs > 0 && isPaced(step)) await pause(plan.paceMs, signal);
      if (signal.aborted) return;
      switch (step.type) {
        case 'delta':
          await send(frame({ choices: [{ index: 0, delta: step.delta, finish_reason: null }] }));
          break;
        case 'finish':
          await send(frame({ choices: [{ index: 0, delta: {}, finish_reason: step.reason }] }));
          break;
        case 'usage': {
          const usage = { prompt_tokens: step.promptTokens, completion_tokens: step.completionTokens, total_tokens: step.promptTokens + step.completionTokens };
          await send(frame({ choices: [], usage }));
          break;
        }
        case 'done':
          await send('data: [DONE]\n\n');
          break;
        case 'garbage':
          await send(step.text);
          break;
        case 'cut':
          // Destroying a socket drops what it has not yet handed to the kernel: flush the chunks first,
          // so the client sees them before the connection breaks.
          await flushed;
          res.destroy();
          return;
        case 'hang':
          if (!signal.aborted) await once(signal, 'abort');
          return;
      }
    }
    res.end();
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

/** Only chunks wait for the pace; the closing frames (finish, usage, [DONE]) follow at once. */
function isPaced(step: StreamStep): boolean {
  return step.type !== 'finish' && step.type !== 'usage' && step.type !== 'done';
}
