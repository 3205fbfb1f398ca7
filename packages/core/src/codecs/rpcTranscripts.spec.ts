/**
 * Every RPC method of the real CLI traffic recorded in fixtures/transcripts whose method the API schema
 * lists is decoded by its generated codecs: the params each side sent and the result that came back.
 * (Methods the schema lacks, like `session.create`, have hand-written codecs: transcripts.spec.ts.)
 */
import { isLeft } from 'fp-ts/Either';
import type * as t from 'io-ts';
import { listTranscripts, readTranscriptRecords } from '../../../../fixtures/transcripts';
import { clientGlobalMethods, clientSessionMethods, serverMethods, sessionMethods } from './generated/api';
import { reportErrors } from './reportErrors';
import { listMethods, type RpcMethodSpec } from './rpcMethod';

interface Message {
  readonly id?: number | string;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
  readonly error?: unknown;
}

const specs = new Map<string, RpcMethodSpec>(
  [serverMethods, sessionMethods, clientSessionMethods, clientGlobalMethods].flatMap(listMethods).map((spec) => [spec.method, spec]),
);

/** What was decoded: `params of X` and `result of X`, and every failure with its paths. */
function decodeTranscript(name: string) {
  const decoded = new Set<string>();
  const failures: string[] = [];
  const check = (what: string, codec: t.Mixed, value: unknown) => {
    const result = codec.decode(value);
    if (isLeft(result)) failures.push(`${name}: ${what}: ${reportErrors(result.left).join('; ')}`);
    else decoded.add(what);
  };
  const pending = new Map<string, RpcMethodSpec>();
  for (const { dir, msg } of readTranscriptRecords(name)) {
    const message = msg as Message;
    if (message.method !== undefined) {
      const spec = specs.get(message.method);
      if (!spec) continue;
      // Params left out travel as nothing or {}: the surface sends {} (or the session id alone) then.
      if (message.params !== undefined && !(spec.paramsOptional && isEmptyObject(message.params))) {
        check(`params of ${spec.method}`, spec.params, message.params);
      }
      if (message.id !== undefined) pending.set(`${dir}:${message.id}`, spec);
    } else if (message.id !== undefined && 'result' in message) {
      // A response travels the other way from its request.
      const requestDir = dir === 'cli->client' ? 'client->cli' : 'cli->client';
      const spec = pending.get(`${requestDir}:${message.id}`);
      if (spec) check(`result of ${spec.method}`, spec.result, message.result);
    }
  }
  return { decoded, failures };
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

const names = listTranscripts();
const results = new Map(names.map((name) => [name, decodeTranscript(name)]));

describe('the generated RPC codecs against the recorded transcripts', () => {
  it.each(names)('%s: every schema method decodes', (name) => {
    expect(results.get(name)?.failures).toEqual([]);
  });

  it('decode the params and results of many methods, both directions', () => {
    const decoded = new Set([...results.values()].flatMap(({ decoded }) => [...decoded]));
    // The recordings hold the core methods, the handlePending* answers, the permission controls the
    // official SDK calls, and requests the CLI makes of a client (hooks, llmInference).
    for (const what of [
      'result of session.send',
      'result of session.abort',
      'params of session.permissions.handlePendingPermissionRequest',
      'result of session.permissions.handlePendingPermissionRequest',
      'params of session.tools.handlePendingToolCall',
      'result of connect',
      'params of hooks.invoke',
    ]) {
      expect(decoded).toContain(what);
    }
    expect(decoded.size).toBeGreaterThanOrEqual(40);
  });
});
