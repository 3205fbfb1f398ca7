/**
 * What a CLI schema has that the generated code does not cover: the checks behind the schema-coverage
 * spec, kept apart so they can also be shown to fail on a schema that gained something.
 */
import { listMethods } from '../codecs/rpcMethod.js';

/** The four sections of the API schema and the generated table of each. */
export type MethodTables = Readonly<Record<'server' | 'session' | 'clientSession' | 'clientGlobal', object>>;

/** `section: method` for every method of the API schema that its section's table lacks. */
export function uncoveredMethods(apiSchema: Record<string, unknown>, tables: MethodTables): string[] {
  return Object.entries(tables).flatMap(([section, table]) => {
    const covered = new Set(listMethods(table).map((spec) => spec.method));
    return schemaMethodNames(apiSchema[section]).filter((name) => !covered.has(name)).map((name) => `${section}: ${name}`);
  });
}

/** Every event type of the events schema that the generated registry lacks. */
export function uncoveredEventTypes(eventsSchema: { definitions: Record<string, unknown> }, registry: object): string[] {
  return schemaEventTypes(eventsSchema).filter((type) => !Object.hasOwn(registry, type));
}

/** The wire names of the methods in one section of the API schema (its leaves carry `rpcMethod`). */
export function schemaMethodNames(section: unknown): string[] {
  if (typeof section !== 'object' || section === null) return [];
  const { rpcMethod } = section as { rpcMethod?: unknown };
  if (typeof rpcMethod === 'string') return [rpcMethod];
  return Object.values(section).flatMap(schemaMethodNames);
}

/** The `type` of every member of the events schema's SessionEvent union. */
export function schemaEventTypes(eventsSchema: { definitions: Record<string, unknown> }): string[] {
  const { definitions } = eventsSchema;
  const union = definitions['SessionEvent'] as { anyOf: { $ref: string }[] };
  return union.anyOf.map(({ $ref }) => {
    const member = definitions[$ref.split('/').pop() ?? ''] as { properties: { type: { const: string } } };
    return member.properties.type.const;
  });
}
