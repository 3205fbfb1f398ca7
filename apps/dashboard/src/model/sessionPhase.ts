import type { EventLike } from '@copilot-rx/operators';
import type { Activity } from './view';

/** What the main agent is doing, before tools and permission prompts are taken into account. */
export interface Phase {
  readonly activity: Extract<Activity, 'working' | 'streaming' | 'idle' | 'error'>;
  /** The latest `session.error` message, until the next prompt. */
  readonly error: string | null;
}

export const initialPhase: Phase = { activity: 'idle', error: null };

/**
 * The next phase after one event. A turn that failed stays `error` through its `session.idle`, until
 * the next prompt: the table must show that the last turn failed. Sub-agents' events are ignored (they
 * run alongside the main agent); so are `session.error`s of type `notification`, which are log lines.
 */
export function nextPhase(phase: Phase, event: EventLike): Phase {
  if (event.agentId !== undefined) return phase;
  switch (event.type) {
    case 'user.message':
      return { activity: 'working', error: null };
    case 'assistant.turn_start':
    case 'assistant.message':
      return phase.activity === 'error' ? phase : { ...phase, activity: 'working' };
    case 'assistant.message_delta':
    case 'assistant.reasoning_delta':
      return phase.activity === 'error' ? phase : { ...phase, activity: 'streaming' };
    case 'session.error': {
      const data = event.data as { readonly errorType?: unknown; readonly message?: unknown };
      if (data.errorType === 'notification') return phase;
      return { activity: 'error', error: typeof data.message === 'string' ? data.message : 'session.error' };
    }
    case 'session.idle':
      return phase.activity === 'error' ? phase : { ...phase, activity: 'idle' };
    default:
      return phase;
  }
}
