// JSON Schema → io-ts source text, shared by the event and the API generators. Every codec is written
// with its type beside it (`export const X: t.TypeC<{ a: typeof Y }> = t.type({ a: Y })`): declarations
// then name the codecs they use instead of spelling each one out again wherever it is used, and the
// docs of the fields sit on the type, where editors show them for decoded values.
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
  const { value, type } = codec(def, '');
  return `${doc}export const ${name}: ${type} = ${value};\nexport type ${name} = t.TypeOf<typeof ${name}>;\n`;
}

/**
 * The io-ts expression of a definition, without its docs: two definitions with the same expression
 * decode alike, provided the names they refer to stand for the same codecs.
 */
export function codecExpression(def) {
  return codec(def, '').value;
}

/** The io-ts expression of a schema node (`value`) and its TypeScript type (`type`). */
function codec(node, indent) {
  const same = (value, type) => ({ value, type });
  if (node === true || node === undefined || node === null) return same('t.unknown', 't.UnknownC');
  if (node.$ref) return same(refName(node.$ref), `typeof ${refName(node.$ref)}`);
  if (node['x-opaque-json']) return same('t.unknown', 't.UnknownC');
  if ('const' in node) return literal(node.const);
  if (node.enum) return enumCodec(node.enum);
  if (node.anyOf || node.oneOf) return union((node.anyOf ?? node.oneOf).map((member) => codec(member, indent)));
  if (isAbsent(node)) return same('t.undefined', 't.UndefinedC');
  if (Array.isArray(node.type)) return union(node.type.map((type) => codec({ ...node, type }, indent)));
  switch (node.type) {
    case 'string':
      return same('t.string', 't.StringC');
    case 'number':
    case 'integer':
      return same('t.number', 't.NumberC');
    case 'boolean':
      return same('t.boolean', 't.BooleanC');
    case 'null':
      return same('t.null', 't.NullC');
    case 'array': {
      const items = codec(node.items, indent);
      return same(`t.array(${items.value})`, `t.ArrayC<${items.type}>`);
    }
    case 'object':
      return objectCodec(node, indent);
    default:
      return same('t.unknown', 't.UnknownC');
  }
}

/** `{ "not": {} }`: no value at all. */
export function isAbsent(node) {
  return Boolean(node && typeof node === 'object' && node.not && Object.keys(node.not).length === 0);
}

function objectCodec(node, indent) {
  const properties = Object.entries(node.properties ?? {});
  if (properties.length === 0) {
    const values = node.additionalProperties;
    if (!values || typeof values !== 'object') return { value: 't.UnknownRecord', type: 't.UnknownRecordC' };
    const inner = codec(values, indent);
    return { value: `t.record(t.string, ${inner.value})`, type: `t.RecordC<t.StringC, ${inner.type}>` };
  }
  const inner = `${indent}  `;
  const required = new Set(node.required ?? []);
  const fields = (optional) =>
    properties
      .filter(([key]) => required.has(key) !== optional)
      .map(([key, schema]) => {
        const field = codec(schema, inner);
        const doc = schema.description ? `${inner}/** ${escapeComment(schema.description)} */\n` : '';
        // The wire sends null for optional fields now and then: null decodes as absent.
        return {
          value: `${inner}${propertyKey(key)}: ${optional ? `absentWhenNull(${field.value})` : field.value},`,
          type: `${doc}${inner}${propertyKey(key)}: ${optional ? `AbsentWhenNullC<${field.type}>` : field.type};`,
        };
      });
  const props = (list) => ({ value: `{\n${list.map((f) => f.value).join('\n')}\n${indent}}`, type: `{\n${list.map((f) => f.type).join('\n')}\n${indent}}` });
  const requiredFields = fields(false);
  const optionalFields = fields(true);
  const strict = requiredFields.length ? props(requiredFields) : undefined;
  const partial = optionalFields.length ? props(optionalFields) : undefined;
  const strictCodec = strict && { value: `t.type(${strict.value})`, type: `t.TypeC<${strict.type}>` };
  const partialCodec = partial && { value: `t.partial(${partial.value})`, type: `t.PartialC<${partial.type}>` };
  if (strictCodec && partialCodec) {
    return {
      value: `t.intersection([${strictCodec.value}, ${partialCodec.value}])`,
      type: `t.IntersectionC<[${strictCodec.type}, ${partialCodec.type}]>`,
    };
  }
  return strictCodec ?? partialCodec;
}

function enumCodec(values) {
  const strings = values.filter((value) => typeof value === 'string');
  if (strings.length === values.length) {
    const known = strings.map((v) => JSON.stringify(v));
    return { value: `openEnum([${known.join(', ')}] as const)`, type: `OpenEnumC<${known.join(' | ')}>` };
  }
  return union(values.map(literal));
}

function union(members) {
  const unique = [...new Map(members.map((member) => [member.value, member])).values()];
  if (unique.length === 1) return unique[0];
  return { value: `t.union([${unique.map((m) => m.value).join(', ')}])`, type: `t.UnionC<[${unique.map((m) => m.type).join(', ')}]>` };
}

function literal(value) {
  if (value === null) return { value: 't.null', type: 't.NullC' };
  return { value: `t.literal(${JSON.stringify(value)})`, type: `t.LiteralC<${JSON.stringify(value)}>` };
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

/**
 * The definitions the rendered codec of a node names: those of `refsOf` but the ones inside an opaque
 * value (`x-opaque-json`, rendered as t.unknown), which an import of them would leave unused.
 */
export function codecRefsOf(node, found = new Set()) {
  if (node && typeof node === 'object') {
    if (typeof node.$ref === 'string') found.add(refName(node.$ref));
    else if (node['x-opaque-json']) return found;
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'x-enumDescriptions' && key !== 'examples' && key !== 'default') codecRefsOf(value, found);
    }
  }
  return found;
}

export function escapeComment(text) {
  return String(text).replace(/\*\//g, '*\\/').replace(/\s+/g, ' ').trim();
}
