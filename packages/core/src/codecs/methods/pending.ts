/**
 * Codecs of the `handlePending*` answers to broadcast requests (protocol.md §3.1): the agent emits an
 * event carrying a `requestId`; any attached client answers with one of these methods.
 */
import * as t from 'io-ts';

/**
 * A permission decision. `reject` carries feedback the model sees; `user-not-available` is what the
 * official SDK answers when a handler throws.
 */
export const PermissionDecision = t.union([
  t.intersection([t.type({ kind: t.literal('approve-once') }), t.partial({ approvedInteractively: t.boolean })]),
  t.intersection([
    t.type({ kind: t.literal('approve-for-session') }),
    t.partial({ approval: t.UnknownRecord, domain: t.string }),
  ]),
  t.type({ kind: t.literal('approve-for-location'), approval: t.UnknownRecord, locationKey: t.string }),
  t.type({ kind: t.literal('approve-permanently'), domain: t.string }),
  t.intersection([t.type({ kind: t.literal('reject') }), t.partial({ feedback: t.string })]),
  t.type({ kind: t.literal('user-not-available') }),
]);
export type PermissionDecision = t.TypeOf<typeof PermissionDecision>;

export const HandlePendingPermissionParams = t.type({
  sessionId: t.string,
  requestId: t.string,
  result: PermissionDecision,
});
export type HandlePendingPermissionParams = t.TypeOf<typeof HandlePendingPermissionParams>;

export const ToolResultType = t.union([
  t.literal('success'),
  t.literal('failure'),
  t.literal('rejected'),
  t.literal('denied'),
  t.literal('timeout'),
]);
export type ToolResultType = t.TypeOf<typeof ToolResultType>;

/** A structured tool result; `textResultForLlm` is what the model reads. */
export const ToolResultObject = t.intersection([
  t.type({ textResultForLlm: t.string }),
  t.partial({
    resultType: ToolResultType,
    error: t.string,
    sessionLog: t.string,
    toolTelemetry: t.UnknownRecord,
    binaryResultsForLlm: t.array(
      t.intersection([
        t.type({ data: t.string, mimeType: t.string, type: t.union([t.literal('image'), t.literal('resource')]) }),
        t.partial({ description: t.string }),
      ]),
    ),
  }),
]);
export type ToolResultObject = t.TypeOf<typeof ToolResultObject>;

export const HandlePendingToolCallParams = t.intersection([
  t.type({ sessionId: t.string, requestId: t.string }),
  t.partial({ result: t.union([t.string, ToolResultObject]), error: t.string }),
]);
export type HandlePendingToolCallParams = t.TypeOf<typeof HandlePendingToolCallParams>;

export const AutoModeSwitchResponse = t.union([t.literal('yes'), t.literal('yes_always'), t.literal('no')]);
export type AutoModeSwitchResponse = t.TypeOf<typeof AutoModeSwitchResponse>;

export const HandlePendingAutoModeSwitchParams = t.type({
  sessionId: t.string,
  requestId: t.string,
  response: AutoModeSwitchResponse,
});
export type HandlePendingAutoModeSwitchParams = t.TypeOf<typeof HandlePendingAutoModeSwitchParams>;
