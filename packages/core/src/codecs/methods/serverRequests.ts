/**
 * Codecs of the server→client JSON-RPC requests copilot-rx answers itself (protocol.md §3.2). Params
 * come from the CLI, so they are decoded before any handler sees them. `hooks.invoke` is the schema's
 * (generated); the others are not in the CLI's API schema, so their codecs are written here.
 */
import * as t from 'io-ts';
import { HookInvokeRequest } from '../generated/api/index.js';
import { AutoModeSwitchResponse } from './pending.js';

export const UserInputRequestParams = t.intersection([
  t.type({ sessionId: t.string, question: t.string }),
  t.partial({ choices: t.array(t.string), allowFreeform: t.boolean }),
]);
export type UserInputRequestParams = t.TypeOf<typeof UserInputRequestParams>;

export const UserInputResponse = t.type({ answer: t.string, wasFreeform: t.boolean });
export type UserInputResponse = t.TypeOf<typeof UserInputResponse>;

export const AutoModeSwitchRequestParams = t.intersection([
  t.type({ sessionId: t.string }),
  t.partial({ errorCode: t.string, retryAfterSeconds: t.number }),
]);
export type AutoModeSwitchRequestParams = t.TypeOf<typeof AutoModeSwitchRequestParams>;

export const AutoModeSwitchResult = t.type({ response: AutoModeSwitchResponse });
export type AutoModeSwitchResult = t.TypeOf<typeof AutoModeSwitchResult>;

export const ExitPlanModeRequestParams = t.intersection([
  t.type({ sessionId: t.string }),
  t.partial({ summary: t.string, planContent: t.string, actions: t.array(t.string), recommendedAction: t.string }),
]);
export type ExitPlanModeRequestParams = t.TypeOf<typeof ExitPlanModeRequestParams>;

export const HooksInvokeParams = HookInvokeRequest;
export type HooksInvokeParams = HookInvokeRequest;

export const SystemMessageTransformParams = t.type({
  sessionId: t.string,
  sections: t.record(t.string, t.type({ content: t.string })),
});
export type SystemMessageTransformParams = t.TypeOf<typeof SystemMessageTransformParams>;
