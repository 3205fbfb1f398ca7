// JSON Schema → io-ts source text, shared by the event and the API generators.
//
// Decisions, so the codecs fit real traffic (the schema is a floor, not a ceiling):
// - Extra fields are tolerated (io-ts `t.type` ignores them); `additionalProperties: false` is not enforced.
// - Enums are open: their TypeScript type lists the known values, but any string decodes
//   (the CLI sends values the schema lacks, e.g. abort.reason "subagent_cancelled").
// - `const` values are enforced: they discriminate unions.
// - An optional field sent as null decodes as absent (the wire does that; the schema does not say so).
// - Formats, bounds, patterns and conditionals (`if`/`then`, `contains`) are not checked: they describe,
//   they do not gate.
// - `{ "not": {} }` (nothing may be there) renders as `t.undefined`: it only appears as the "absent"
//   member of an optional value.

export function renderDef(name, def) {
  const doc = def.description ? `/** ${escapeComment(def.description)} */\n` : '';
  return `${doc}export const ${name} = ${render(def)};\nexport type ${name} = t.TypeOf<typeof ${name}>;\n`;
}

export function render(node) {
  if (node === true || node === undefined || node === null) return 't.unknown';
  if (node.$ref) return refName(node.$ref);
  if (node['x-opaque-json']) return 't.unknown';
  if ('const' in node) return literal(node.const);
  if (node.enum) return enumCodec(node.enum);
  if (node.anyOf || node.oneOf) return union((node.anyOf ?? node.oneOf).map((member) => render(member)));
  if (isAbsent(node)) return 't.undefined';
  if (Array.isArray(node.type)) return union(node.type.map((type) => render({ ...node, type })));
  switch (node.type) {
    case 'string':
      return 't.string';
    case 'number':
    case 'integer':
      return 't.number';
    case 'boolean':
      return 't.boolean';
    case 'null':
      return 't.null';
    case 'array':
      return `t.array(${render(node.items)})`;
    case 'object':
      return objectCodec(node);
    default:
      return 't.unknown';
  }
}

/** `{ "not": {} }`: no value at all. */
export function isAbsent(node) {
  return Boolean(node && typeof node === 'object' && node.not && Object.keys(node.not).length === 0);
}

function objectCodec(node) {
  const properties = Object.entries(node.properties ?? {});
  if (properties.length === 0) {
    const values = node.additionalProperties;
    return values && typeof values === 'object' ? `t.record(t.string, ${render(values)})` : 't.UnknownRecord';
  }
  const required = new Set(node.required ?? []);
  const field = (optional) => ([key, value]) => {
    const doc = value.description ? `  /** ${escapeComment(value.description)} */\n` : '';
    // The wire sends null for optional fields now and then: null decodes as absent.
    const codec = optional ? `absentWhenNull(${render(value)})` : render(value);
    return `${doc}  ${propertyKey(key)}: ${codec},`;
  };
  const requiredFields = properties.filter(([key]) => required.has(key)).map(field(false));
  const optionalFields = properties.filter(([key]) => !required.has(key)).map(field(true));
  const strict = requiredFields.length ? `t.type({\n${requiredFields.join('\n')}\n})` : undefined;
  const partial = optionalFields.length ? `t.partial({\n${optionalFields.join('\n')}\n})` : undefined;
  if (strict && partial) return `t.intersection([\n${strict},\n${partial},\n])`;
  return strict ?? partial;
}

function enumCodec(values) {
  const strings = values.filter((value) => typeof value === 'string');
  if (strings.length === values.length) return `openEnum([${strings.map((v) => JSON.stringify(v)).join(', ')}] as const)`;
  return union(values.map(literal));
}

function union(members) {
  const unique = [...new Set(members)];
  return unique.length === 1 ? unique[0] : `t.union([${unique.join(', ')}])`;
}

function literal(value) {
  return value === null ? 't.null' : `t.literal(${JSON.stringify(value)})`;
}

export function propertyKey(key) {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

export function refName(ref) {
  return ref.split('/').pop();
}

/** Every definition a schema node refers to, directly. */
export function refsOf(node, found = new Set()) {
  if (node && typeof node === 'object') {
    if (typeof node.$ref === 'string') found.add(refName(node.$ref));
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'x-enumDescriptions' && key !== 'examples' && key !== 'default') refsOf(value, found);
    }
  }
  return found;
}

export function escapeComment(text) {
  return String(text).replace(/\*\//g, '*\\/').replace(/\s+/g, ' ').trim();
}
