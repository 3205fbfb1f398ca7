/** What the client-level conveniences need of their client: its typed and untyped request paths. */
import type { Observable } from 'rxjs';
import type { RequestOptions } from '../rpc/connection.js';
import type { ServerRpc } from '../rpcApi/index.js';

export interface ClientSurface {
  readonly rpc: ServerRpc;
  request$(method: string, params?: object, options?: RequestOptions): Observable<unknown>;
}
