/**
 * Codecs of the `handlePending*` answers to broadcast requests (protocol.md §3.1): the agent emits an
 * event carrying a `requestId`; any attached client answers with one of these methods. The params are
 * the schema's (generated). Two stay hand-written, for the handler answers copilot-rx validates before
 * sending: the tool result (the schema leaves it opaque) and the auto-mode answer (the generated enum is
 * open, as enums read from the CLI must be; an answer we send must be one of the three).
 */
import * as t from 'io-ts';
import {
  PermissionDecision as GeneratedPermissionDecision,
  SessionPermissionsHandlePendingPermissionRequestParams,
  SessionToolsHandlePendingToolCallParams,
  SessionUiHandlePendingAutoModeSwitchParams,
} from '../generated/api/index.js';

/**
 * A permission decision. `reject` carries feedback the model sees; `user-not-available` is what the
 * official SDK answers when a handler throws.
 */
export const PermissionDecision = GeneratedPermissionDecision;
export type PermissionDecision = GeneratedPermissionDecision;

export const HandlePendingPermissionParams = SessionPermissionsHandlePendingPermissionRequestParams;
export type HandlePendingPermissionParams = SessionPermissionsHandlePendingPermissionRequestParams;

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

export const HandlePendingToolCallParams = SessionToolsHandlePendingToolCallParams;
export type HandlePendingToolCallParams = SessionToolsHandlePendingToolCallParams;

export const AutoModeSwitchResponse = t.union([t.literal('yes'), t.literal('yes_always'), t.literal('no')]);
export type AutoModeSwitchResponse = t.TypeOf<typeof AutoModeSwitchResponse>;

export const HandlePendingAutoModeSwitchParams = SessionUiHandlePendingAutoModeSwitchParams;
export type HandlePendingAutoModeSwitchParams = SessionUiHandlePendingAutoModeSwitchParams;
