// The manifest: what the generated code covers (every method of the API schema, every event type of
// the events schema) and the hashes of the schemas it came from. A spec compares it, and the generated
// tables themselves, with the pinned CLI's schemas, so a CLI upgrade that adds a method or an event type
// fails a test until the codecs are regenerated.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { SECTIONS, methodsOf } from './api.mjs';
import { eventTypesOf } from './events.mjs';

export function schemaManifest({ cliVersion, eventsText, apiText }) {
  const api = JSON.parse(apiText);
  const methods = Object.fromEntries(SECTIONS.map((section) => [section, []]));
  for (const method of methodsOf(api)) methods[method.section].push(method.name);
  for (const names of Object.values(methods)) names.sort();
  return {
    cliVersion,
    sha256: { 'session-events.schema.json': sha256(eventsText), 'api.schema.json': sha256(apiText) },
    methods,
    eventTypes: eventTypesOf(JSON.parse(eventsText)).sort(),
  };
}

export function writeManifest(file, manifest) {
  writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
}

function sha256(text) {
  return createHash('sha256').update(text).digest('hex');
}
