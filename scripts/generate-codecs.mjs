#!/usr/bin/env node
// Generates core's io-ts codecs from the JSON Schemas the pinned Copilot CLI ships, into
// packages/core/src/codecs/generated/:
//   - *.ts       a data codec for every session event type (session-events.schema.json)
//   - api/**     params and result codecs for every RPC method, and the method tables the typed
//                surface (`client.rpc`, `session.rpc`) is bound from (api.schema.json)
//   - bothSchemas.ts  the definitions both schemas have, emitted once (codegen/shared.mjs)
//   - schema-manifest.json  what the code covers, and the schemas' hashes (checked by a spec)
// Run it when the pinned @github/copilot version moves:
//
//   npm run generate:codecs [-- --schemas path/to/schemas-folder]
//
// Without --schemas it reads the CLI's extraction cache in .copilot-state/cache, launching the
// installed CLI once (`copilot --version`) to fill it. How JSON Schema maps to io-ts: codegen/render.mjs.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateApiCodecs, planApiCodecs } from './codegen/api.mjs';
import { generateEventCodecs } from './codegen/events.mjs';
import { SCHEMA_FILES, locateSchemasDir } from './codegen/locateSchemas.mjs';
import { schemaManifest, writeManifest } from './codegen/manifest.mjs';
import { sharedDefinitions } from './codegen/shared.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'packages/core/src/codecs/generated');

const { values } = parseArgs({ options: { schemas: { type: 'string' } } });
const schemasDir = values.schemas ? path.resolve(values.schemas) : locateSchemasDir(root);
// The folder is `.../<version>/schemas`.
const cliVersion = path.basename(path.dirname(schemasDir));
const eventsText = readFileSync(path.join(schemasDir, SCHEMA_FILES.events), 'utf8');
const apiText = readFileSync(path.join(schemasDir, SCHEMA_FILES.api), 'utf8');

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const eventsSchema = JSON.parse(eventsText);
// The API is planned first: which definitions are shared depends on what its methods reach.
const apiPlan = planApiCodecs(JSON.parse(apiText));
const shared = sharedDefinitions(eventsSchema.definitions, apiPlan);
const events = generateEventCodecs(eventsSchema, { outDir, cliVersion, shared: shared.definitions });
const api = generateApiCodecs(apiPlan, { outDir: path.join(outDir, 'api'), cliVersion, shared });
writeManifest(path.join(outDir, 'schema-manifest.json'), schemaManifest({ cliVersion, eventsText, apiText }));

console.log(
  `generated ${events.events} event types (${events.definitions} definitions) and ${api.methods} RPC methods ` +
    `(${api.definitions} definitions, ${shared.imported.size} more shared with the events) into ${path.relative(root, outDir)} (CLI ${cliVersion})`,
);
