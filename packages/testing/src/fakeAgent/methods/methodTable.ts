/** Every method the fake agent answers (besides `connect`, which the connection handles: it authenticates). */
import type { MethodHandler } from './MethodContext.js';
import { eventLogRead, eventLogTail, isProcessing } from './eventLogMethods.js';
import { authGetStatus, ping, runtimeShutdown, statusGet } from './serverMethods.js';
import {
  handlePendingAutoModeSwitch,
  handlePendingElicitation,
  handlePendingPermission,
  handlePendingToolCall,
  sessionAbort,
  sessionCreate,
  sessionDelete,
  sessionDestroy,
  sessionGetMessages,
  sessionResume,
  sessionSend,
} from './sessionMethods.js';

export const METHODS: ReadonlyMap<string, MethodHandler> = new Map<string, MethodHandler>([
  ['ping', ping],
  ['status.get', statusGet],
  ['auth.getStatus', authGetStatus],
  ['runtime.shutdown', runtimeShutdown],
  ['session.create', sessionCreate],
  ['session.resume', sessionResume],
  ['session.send', sessionSend],
  ['session.abort', sessionAbort],
  ['session.destroy', sessionDestroy],
  // 1.0.102's name for leaving a session; same effect as destroy (real-cli.md §4).
  ['session.detach', sessionDestroy],
  ['session.delete', sessionDelete],
  ['session.getMessages', sessionGetMessages],
  ['session.permissions.handlePendingPermissionRequest', handlePendingPermission],
  ['session.tools.handlePendingToolCall', handlePendingToolCall],
  ['session.ui.handlePendingAutoModeSwitch', handlePendingAutoModeSwitch],
  ['session.ui.handlePendingElicitation', handlePendingElicitation],
  ['session.eventLog.read', eventLogRead],
  ['session.eventLog.tail', eventLogTail],
  ['session.metadata.isProcessing', isProcessing],
]);
