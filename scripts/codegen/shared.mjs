// The definitions the two schemas share. The API schema carries its own copy of many definitions of
// the events schema, under the same names (attachments, permission requests, quota snapshots...), and
// names a few others by $ref (`session-events.schema.json#/definitions/...`). Each of them is emitted
// once, into bothSchemas.ts beside the event codecs, and the API codecs import it from there: generating
// them on both sides wrote thousands of lines twice and made `EventCodecs.X` and `RpcCodecs.X` two
// codecs for one thing.
import { codecExpression, refsOf } from './render.mjs';

export const SHARED_FILE = 'bothSchemas';

/**
 * @param {Record<string, object>} eventDefs the events schema's definitions
 * @param {{ defs: Record<string, object>, roots: { def: string }[], eventRefs: Set<string> }} apiPlan
 * @returns {{ definitions: Map<string, object>, imported: Set<string>, copies: string[] }}
 *   `definitions`: what goes to bothSchemas.ts, by name (closed under references); `imported`: the names
 *   the API codecs take from it; `copies`: those of them the API schema defines itself (its index
 *   re-exports them, so they stay names of RpcCodecs)
 */
export function sharedDefinitions(eventDefs, { defs: apiDefs, roots, eventRefs }) {
  // Only what the API codecs reach counts: an API definition no method uses is not generated at all.
  const reached = new Set();
  const visit = (name) => {
    if (reached.has(name) || eventRefs.has(name) || !apiDefs[name]) return;
    reached.add(name);
    for (const ref of refsOf(apiDefs[name])) visit(ref);
  };
  for (const { def } of roots) visit(def);

  // A copy is shared when it renders to the same codec as the event one (descriptions may differ),
  // and every name it refers to is shared too: a same-named dependency of another shape would make
  // the one codec text mean two things.
  const copies = new Set(
    [...reached].filter((name) => eventDefs[name] && codecExpression(eventDefs[name]) === codecExpression(apiDefs[name])),
  );
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of copies) {
      if ([...refsOf(apiDefs[name])].every((ref) => copies.has(ref) || eventRefs.has(ref))) continue;
      copies.delete(name);
      changed = true;
    }
  }

  const imported = new Set([...copies, ...eventRefs]);
  // bothSchemas.ts imports from no other generated file, so it takes what its definitions refer to along.
  const definitions = new Map();
  const take = (name) => {
    if (definitions.has(name)) return;
    if (!eventDefs[name]) throw new Error(`The events schema refers to a definition it does not have: ${name}`);
    definitions.set(name, copies.has(name) ? withBothDescriptions(eventDefs[name], apiDefs[name]) : eventDefs[name]);
    for (const ref of refsOf(eventDefs[name])) take(ref);
  };
  for (const name of imported) take(name);
  return { definitions, imported, copies: [...copies].sort() };
}

/**
 * The two schemas describe some shared definitions from their own side (ShutdownType: how a session
 * ended, and why to shut one down, "routine" by default): the one codec keeps both.
 */
function withBothDescriptions(eventDef, apiDef) {
  if (!apiDef.description || apiDef.description === eventDef.description) return eventDef;
  if (!eventDef.description) return { ...eventDef, description: apiDef.description };
  return { ...eventDef, description: `${eventDef.description.replace(/\.?\s*$/, '.')} In the API: ${apiDef.description}` };
}
