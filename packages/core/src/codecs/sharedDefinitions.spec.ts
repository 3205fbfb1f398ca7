/**
 * The API schema carries its own copy of many definitions of the events schema (attachments,
 * permission requests, quota snapshots...). The generator emits each once (generated/bothSchemas.ts), so a
 * value decoded from an event and one decoded from an RPC result go through one codec, and
 * `EventCodecs.X` and `RpcCodecs.X` are the same thing rather than two copies that can drift.
 */
import { readPinnedSchemas } from '../testSupport/pinnedSchemas';
import * as EventCodecs from './generated';
import * as RpcCodecs from './generated/api';

jest.setTimeout(150_000);

type Definitions = Record<string, unknown>;
/** Keys that describe a value without changing which values decode. */
const ANNOTATIONS = new Set(['description', 'title', 'x-enumDescriptions', 'examples', 'default', 'markdownDescription']);
const EVENTS_REF = 'session-events.schema.json#/definitions/';

/**
 * Whether an events-schema node and an API-schema node describe the same values, following each
 * $ref into its own schema (an API ref into the events schema names the event definition itself).
 */
function alike(event: unknown, api: unknown, events: Definitions, apis: Definitions, seen: Set<string>): boolean {
  if (typeof event !== 'object' || event === null || typeof api !== 'object' || api === null) return event === api;
  if (Array.isArray(event) !== Array.isArray(api)) return false;
  const e = event as Record<string, unknown>;
  const a = api as Record<string, unknown>;
  const keys = (node: Record<string, unknown>) => Object.keys(node).filter((key) => !ANNOTATIONS.has(key)).sort();
  if (keys(e).join() !== keys(a).join()) return false;
  return keys(e).every((key) => {
    if (key !== '$ref') return alike(e[key], a[key], events, apis, seen);
    const eventName = String(e[key]).split('/').pop() ?? '';
    const apiRef = String(a[key]);
    const apiName = apiRef.split('/').pop() ?? '';
    if (eventName !== apiName) return false;
    // A recursive definition: assume alike while comparing it, as a proof by induction does.
    if (seen.has(eventName)) return true;
    seen.add(eventName);
    return apiRef.startsWith(EVENTS_REF) || alike(events[eventName], apis[apiName], events, apis, seen);
  });
}

describe('the definitions the events and the API schema share', () => {
  let alikeNames: string[];
  beforeAll(() => {
    const pinned = readPinnedSchemas();
    const events = (JSON.parse(pinned.texts['session-events.schema.json']) as { definitions: Definitions }).definitions;
    const apis = (JSON.parse(pinned.texts['api.schema.json']) as { definitions: Definitions }).definitions;
    const inBoth = Object.keys(EventCodecs).filter((name) => name in RpcCodecs && name in events && name in apis);
    alikeNames = inBoth.filter((name) => alike(events[name], apis[name], events, apis, new Set()));
  });

  it('are found in the pinned schemas (the check below is not empty)', () => {
    expect(alikeNames).toEqual(expect.arrayContaining(['Attachment', 'PermissionMode', 'ShutdownType']));
  });

  it('are one codec, exported under the same name by EventCodecs and RpcCodecs', () => {
    const codec = (module: object, name: string) => (module as Record<string, unknown>)[name];
    const twoCodecs = alikeNames.filter((name) => codec(EventCodecs, name) !== codec(RpcCodecs, name));
    expect({ twoCodecs, hint: 'run `npm run generate:codecs`' }).toEqual({ twoCodecs: [], hint: 'run `npm run generate:codecs`' });
  });
});
