// Spreads the definitions a set of roots reaches over files, one file per family of roots, and writes
// them in dependency order. A definition reached by one family lives in that family's file; one reached
// by several lives in common.ts. Dependencies of a common definition are common too, so imports only
// ever point from a family file to common.ts, never back: no import cycles. Definitions another module
// imports as well (those the API codecs share with the event codecs) live in bothSchemas.ts whoever reaches
// them; they refer to each other only, so bothSchemas.ts imports no other generated file.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { codecRefsOf, refsOf, renderDef } from './render.mjs';
import { SHARED_FILE } from './shared.mjs';

/**
 * @param {object} options
 * @param {Record<string, object>} options.defs the schema's definitions (plus any synthetic ones)
 * @param {{ def: string, family: string }[]} options.roots the definitions each family needs
 * @param {string} options.outDir
 * @param {(file: string) => string} options.banner the header of a file
 * @param {Record<string, string>} options.helperModules helper name -> import path from outDir
 * @param {Map<string, { text: string, refs: Iterable<string> }>} [options.extra] family -> text appended
 *   to that family's file, and the definitions it refers to (imported where they live)
 * @param {Record<string, string>} [options.external] definitions that live in another module: name -> its
 *   module path from outDir (they are imported, not emitted)
 * @param {Set<string>} [options.shared] definitions to emit into bothSchemas.ts, reached or not; every
 *   definition they refer to must be among them
 * @returns {{ fileOf: (def: string) => string, files: string[], emitted: Set<string> }}
 */
export function emitFiles({ defs, roots, outDir, banner, helperModules, extra = new Map(), external = {}, shared = new Set() }) {
  const reachedBy = new Map(); // def name -> Set<family>
  const visit = (name, family) => {
    if (external[name]) return;
    if (!defs[name]) throw new Error(`The schema refers to a definition it does not have: ${name}`);
    const families = reachedBy.get(name) ?? new Set();
    if (families.has(family)) return;
    families.add(family);
    reachedBy.set(name, families);
    for (const ref of refsOf(defs[name])) visit(ref, family);
  };
  for (const { def, family } of roots) visit(def, family);
  for (const name of shared) {
    const outside = [...refsOf(defs[name])].filter((ref) => !shared.has(ref));
    if (outside.length > 0) throw new Error(`${name} goes to ${SHARED_FILE}.ts but refers to ${outside.join(', ')}, which do not`);
    visit(name, SHARED_FILE);
  }
  const fileOf = (name) => {
    if (external[name]) return external[name];
    if (shared.has(name)) return SHARED_FILE;
    const families = reachedBy.get(name);
    return families.size === 1 ? [...families][0] : 'common';
  };

  const files = new Map(); // file -> { defs: string[] (topologically ordered), imports: Map<file, Set<name>> }
  const entryOf = (file) => {
    const entry = files.get(file) ?? { defs: [], imports: new Map() };
    files.set(file, entry);
    return entry;
  };
  const emitted = new Set();
  const emitDef = (name) => {
    if (emitted.has(name) || external[name]) return;
    emitted.add(name);
    for (const dep of refsOf(defs[name])) emitDef(dep);
    const file = fileOf(name);
    const entry = entryOf(file);
    // A definition named only inside an opaque value is still generated, but not imported.
    for (const dep of codecRefsOf(defs[name])) addImport(entry, file, fileOf(dep), dep);
    entry.defs.push(renderDef(name, defs[name]));
  };
  for (const { def } of roots) emitDef(def);
  for (const name of [...shared].sort()) emitDef(name);
  for (const [family, { refs }] of extra) {
    const entry = entryOf(family);
    for (const ref of refs) addImport(entry, family, fileOf(ref), ref);
  }

  // Helpers are imported by the words they are used by; several from one module share one import.
  const helperImports = (text) => {
    const byModule = new Map();
    for (const [helper, modulePath] of Object.entries(helperModules)) {
      if (!new RegExp(`\\b${helper}\\b`).test(text)) continue;
      byModule.set(modulePath, [...(byModule.get(modulePath) ?? []), helper]);
    }
    return [...byModule];
  };
  for (const [file, entry] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const body = [...entry.defs, ...(extra.has(file) ? [extra.get(file).text] : [])].join('\n');
    const target = path.join(outDir, `${file}.ts`);
    const fromHere = (modulePath) => relativeImport(path.dirname(target), path.join(outDir, modulePath));
    const lines = [banner(file)];
    if (/\bt\./.test(body)) lines.push("import * as t from 'io-ts';");
    for (const [modulePath, helpers] of helperImports(body)) lines.push(`import { ${helpers.join(', ')} } from '${fromHere(modulePath)}';`);
    for (const [depFile, names] of [...entry.imports].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`import { ${[...names].sort().join(', ')} } from '${fromHere(depFile)}';`);
    }
    lines.push('', body);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, lines.join('\n'));
  }
  return { fileOf, files: [...files.keys()], emitted };
}

/** Records that `file` imports `name` from `depFile` (nothing when they are the same file). */
export function addImport(entry, file, depFile, name) {
  if (depFile === file) return;
  const names = entry.imports.get(depFile) ?? new Set();
  names.add(name);
  entry.imports.set(depFile, names);
}

/**
 * An import specifier from a directory to a module path (given without extension). It names the `.js`
 * file the ES module build loads, as every source of the package does.
 */
export function relativeImport(fromDir, toModule) {
  const relative = path.relative(fromDir, toModule).split(path.sep).join('/');
  return `${relative.startsWith('.') ? relative : `./${relative}`}.js`;
}
