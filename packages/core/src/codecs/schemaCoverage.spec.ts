/**
 * The generated code covers the pinned CLI's schemas: every RPC method of api.schema.json has a table
 * entry (so `client.rpc`/`session.rpc` offer it), every event type of session-events.schema.json a data
 * codec, and the schemas are byte-for-byte the ones the code was generated from (schema-manifest.json).
 * When the pinned CLI moves, this fails until `npm run generate:codecs` is run.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readPinnedSchemas, type PinnedSchemas } from '../testSupport/pinnedSchemas';
import { schemaEventTypes, schemaMethodNames, uncoveredEventTypes, uncoveredMethods, type MethodTables } from '../testSupport/schemaCoverage';
import { clientGlobalMethods, clientSessionMethods, serverMethods, sessionMethods } from './generated/api';
import { sessionEventDataCodecs } from './generated';
import { listMethods } from './rpcMethod';

jest.setTimeout(150_000);

interface Manifest {
  readonly cliVersion: string;
  readonly sha256: Record<string, string>;
  readonly methods: Record<keyof MethodTables, string[]>;
  readonly eventTypes: string[];
}

const manifest = JSON.parse(readFileSync(path.join(__dirname, 'generated/schema-manifest.json'), 'utf8')) as Manifest;
const tables: MethodTables = { server: serverMethods, session: sessionMethods, clientSession: clientSessionMethods, clientGlobal: clientGlobalMethods };
const REGENERATE = 'run `npm run generate:codecs` and commit the result';

describe("the generated codecs against the pinned CLI's schemas", () => {
  let pinned: PinnedSchemas;
  let api: Record<string, unknown>;
  let events: { definitions: Record<string, unknown> };
  beforeAll(() => {
    pinned = readPinnedSchemas();
    api = JSON.parse(pinned.texts['api.schema.json']) as typeof api;
    events = JSON.parse(pinned.texts['session-events.schema.json']) as typeof events;
  });

  it('were generated for the pinned CLI version', () => {
    expect({ cliVersion: manifest.cliVersion, hint: REGENERATE }).toEqual({ cliVersion: pinned.cliVersion, hint: REGENERATE });
  });

  it('cover every RPC method of the API schema', () => {
    expect(uncoveredMethods(api, tables)).toEqual([]);
  });

  it('cover every event type of the events schema', () => {
    expect(uncoveredEventTypes(events, sessionEventDataCodecs)).toEqual([]);
  });

  it('come from schemas identical to the pinned ones (a changed shape counts too)', () => {
    for (const [file, text] of Object.entries(pinned.texts)) {
      const sha256 = createHash('sha256').update(text).digest('hex');
      expect({ file, sha256, hint: REGENERATE }).toEqual({ file, sha256: manifest.sha256[file], hint: REGENERATE });
    }
  });

  it('match the manifest committed beside them', () => {
    for (const [section, table] of Object.entries(tables)) {
      expect(listMethods(table).map((spec) => spec.method).sort()).toEqual(manifest.methods[section as keyof MethodTables]);
    }
    expect(Object.keys(sessionEventDataCodecs).sort()).toEqual(manifest.eventTypes);
  });

  it('would report a method or event type the schema gained', () => {
    const grown = structuredClone(api) as { session: Record<string, unknown> };
    grown.session['brandNew'] = { ping: { rpcMethod: 'session.brandNew.ping', params: null, result: null } };
    expect(uncoveredMethods(grown, tables)).toEqual(['session: session.brandNew.ping']);

    const withEvent = structuredClone(events) as { definitions: Record<string, unknown> };
    withEvent.definitions['BrandNewEvent'] = { properties: { type: { const: 'brand.new' } } };
    (withEvent.definitions['SessionEvent'] as { anyOf: { $ref: string }[] }).anyOf.push({ $ref: '#/definitions/BrandNewEvent' });
    expect(uncoveredEventTypes(withEvent, sessionEventDataCodecs)).toEqual(['brand.new']);
    expect(schemaEventTypes(withEvent)).toHaveLength(schemaEventTypes(events).length + 1);
    expect(schemaMethodNames(grown.session)).toHaveLength(schemaMethodNames(api['session']).length + 1);
  });
});
