import { distinctUntilChanged, scan, startWith, type OperatorFunction } from 'rxjs';
import type { EventLike } from '@copilot-rx/operators';
import { clip, displayJson } from './clip';
import type { PermissionView } from './view';

/** The toolCallId a permission request is about, when it is about a tool call. */
export interface PendingPermission extends PermissionView {
  readonly toolCallId: string | undefined;
}

type Fields = Readonly<Record<string, unknown>>;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** One line that says what is asked: the command, the file, the URL, the tool and its arguments. */
function summarize(request: Fields): string {
  const kind = str(request['kind']) ?? 'unknown';
  const line =
    kind === 'custom-tool' || kind === 'mcp'
      ? `${str(request['toolName']) ?? 'a tool'} ${displayJson(request['args'] ?? request['arguments'] ?? {}, 160)}`
      : (str(request['fullCommandText']) ?? str(request['fileName']) ?? str(request['path']) ?? str(request['url']) ?? displayJson(request, 160));
  return clip(line, 200);
}

/**
 * The permission prompts a session is waiting on, in the order they were asked: added at
 * `permission.requested`, removed at `permission.completed` (whoever answered). `session.idle`
 * clears the list: nothing can still be pending once the session is idle (an aborted turn's prompts
 * end with it).
 */
export function pendingPermissions(): OperatorFunction<EventLike, readonly PendingPermission[]> {
  return (events$) =>
    events$.pipe(
      scan((pending: readonly PendingPermission[], event): readonly PendingPermission[] => {
        if (event.type === 'session.idle') return pending.length === 0 ? pending : [];
        const data = (event.data ?? {}) as Fields;
        const requestId = str(data['requestId']);
        if (requestId === undefined) return pending;
        if (event.type === 'permission.completed') return pending.filter((p) => p.requestId !== requestId);
        if (event.type !== 'permission.requested' || data['resolvedByHook'] === true) return pending;
        const request = (typeof data['permissionRequest'] === 'object' && data['permissionRequest'] !== null ? data['permissionRequest'] : {}) as Fields;
        return [...pending, { requestId, kind: str(request['kind']) ?? 'unknown', summary: summarize(request), toolCallId: str(request['toolCallId']) }];
      }, []),
      startWith([] as readonly PendingPermission[]),
      distinctUntilChanged((a, b) => a.length === b.length && a.every((p, i) => p.requestId === b[i]!.requestId)),
    );
}
