/**
 * Answers one `hooks.invoke` from the CLI with the session's hook handler for that hook type. Hook
 * types the session has no handler for (and those copilot-rx does not model yet: agentStop,
 * subagentStart...) are answered with no output at once, so the agent goes on unchanged.
 */
import type * as t from 'io-ts';
import type { HookInvokeRequest } from '../codecs/generated/api/index.js';
import type { Answer, HandlerContext } from './answer.js';
import { askSessionHandler } from './askSessionHandler.js';
import { HOOK_TABLE } from './hooks.js';
import type { ResponderContext } from './responder.js';

export const HOOKS_METHOD = 'hooks.invoke';

/** The `hooks.invoke` answer: `{ output }`, or `{}` for "no hook, go on". */
export async function invokeHook(context: ResponderContext, request: HookInvokeRequest): Promise<{ output?: unknown }> {
  const entry = (HOOK_TABLE as Record<string, (typeof HOOK_TABLE)[keyof typeof HOOK_TABLE] | undefined>)[request.hookType];
  const handler = entry && context.config.hooks?.[entry.handler];
  if (!entry || !handler) return {};
  // The input is the CLI's (typed `unknown` by the schema); the handler's types describe what it sends.
  const invoke = handler as (input: unknown, context: HandlerContext) => Answer<unknown>;
  const output = await askSessionHandler(context, (handlerContext) => invoke(request.input, handlerContext), {
    kind: 'hook',
    method: HOOKS_METHOD,
    requestId: '',
    subject: `the ${request.hookType} hook`,
    decoder: entry.output as t.Decoder<unknown, unknown>,
    fallback: () => undefined,
  });
  return output === undefined || output === null ? {} : { output };
}
