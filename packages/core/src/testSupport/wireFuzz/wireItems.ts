/**
 * The pieces a fuzzed byte stream from the CLI is made of, each with what the client must make of
 * it. Used by the fuzz spec (a few thousand cases in `npm test`) and by `npm run fuzz` (the long run).
 *
 * Every item is either delivered somewhere (a canary) or reported somewhere (a fault), and the
 * oracle (`expectationsOf`) says exactly where, in which order, how often. "Reported exactly once"
 * means: one report per frame whose boundaries were known (bad JSON, not JSON-RPC, bad `$/` params,
 * a codec failure), and for bytes that break the framing, one report per CONTIGUOUS bad region (the
 * fault that started it) plus one `resynchronised` note with the exact count of bytes dropped,
 * when the next header is found. Bytes that follow a framing fault before the next header are part
 * of its region, so they are dropped and counted, not reported again.
 */
import fc from 'fast-check';

/** The frame limit the fuzzed reader runs with: above the deepest item (20,000 levels), below the claims. */
export const FUZZ_MAX_MESSAGE_BYTES = 1024 * 1024;

export type WireItem =
  | { readonly kind: 'canary'; readonly text: string }
  | { readonly kind: 'event'; readonly type: string; readonly sessionId: string; readonly text: string }
  | { readonly kind: 'custom'; readonly params: unknown }
  | { readonly kind: 'lifecycle' }
  | { readonly kind: 'quiet'; readonly body: string }
  // Params as JSON text: a value nested 20,000 levels deep is kept as text, so that nothing (fast-check
  // printing a counterexample included) has to walk it.
  | { readonly kind: 'badEvent'; readonly params: string }
  | { readonly kind: 'badLifecycle'; readonly params: string }
  | { readonly kind: 'garbage'; readonly bytes: Uint8Array }
  | { readonly kind: 'badHeader'; readonly header: string; readonly body: string }
  | { readonly kind: 'tooLarge'; readonly claim: string; readonly body: string }
  | { readonly kind: 'badJson'; readonly body: string }
  | { readonly kind: 'notJsonRpc'; readonly body: string }
  | { readonly kind: 'badParams'; readonly body: string };

/** A whole case: the items, a truncated frame at the very end or not, and where the bytes are cut into chunks. */
export interface WireCase {
  readonly items: readonly WireItem[];
  /** A frame cut short as the stream ends: reported as `truncated`. */
  readonly truncatedTail: boolean;
  readonly cuts: readonly number[];
}

/** What the client must show for a case, in order. */
export interface Expectations {
  /** `n` of each `fuzz.canary` notification, on `notifications$`. */
  readonly canaries: readonly number[];
  /** Event ids on the hub's `events$`. */
  readonly events: readonly string[];
  /** `$/fuzz.custom` notifications (their order against the fast path is not kept: compared sorted). */
  readonly customs: number;
  readonly lifecycles: number;
  readonly decodeErrors: number;
  /** `malformed$`, in order: a reason, or `resynchronised:<bytes dropped>`. */
  readonly reports: readonly string[];
  /** Items on the wire (for counts), and bytes in all. */
  readonly frames: number;
}

const MARKER = 'Content-Length:';

export function frame(body: string): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'latin1'), bytes]);
}

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const json = (value: unknown) => JSON.stringify(value);
/** Valid JSON text of `[[[...]]]` or `{"a":{"a":...}}`, `levels` deep (JSON.stringify could not write it). */
const deepJson = (levels: number, object: boolean) =>
  object ? `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}` : `${'['.repeat(levels)}${']'.repeat(levels)}`;

/** The bytes of every item, given the running counters that make canaries and event ids unique. */
export function encode(testCase: WireCase): { bytes: Buffer; expectations: Expectations } {
  const parts: Buffer[] = [];
  const canaries: number[] = [];
  const events: string[] = [];
  const reports: string[] = [];
  let customs = 0;
  let lifecycles = 0;
  let decodeErrors = 0;
  // The framing oracle: while `region` is not undefined, bytes are being dropped up to the next marker.
  let region: number | undefined;
  const items = [...testCase.items, { kind: 'canary', text: 'last' } as const];
  for (const item of items) {
    const bytes = bytesOf(item, { canary: canaries.length, event: events.length + 1 });
    const startsWithMarker = bytes.subarray(0, MARKER.length).toString('latin1') === MARKER;
    if (region !== undefined) {
      if (!startsWithMarker) {
        region += bytes.length;
        parts.push(bytes);
        continue;
      }
      reports.push(`resynchronised:${region}`);
      region = undefined;
    }
    parts.push(bytes);
    switch (item.kind) {
      case 'canary':
        canaries.push(canaries.length);
        break;
      case 'event':
        events.push(uuid(events.length + 1));
        break;
      case 'custom':
        customs++;
        break;
      case 'lifecycle':
        lifecycles++;
        break;
      case 'quiet':
        break;
      case 'badEvent':
      case 'badLifecycle':
        decodeErrors++;
        break;
      case 'garbage':
      case 'badHeader':
        reports.push('bad-header');
        region = bytes.length;
        break;
      case 'tooLarge':
        reports.push('too-large');
        region = bytes.length;
        break;
      case 'badJson':
        reports.push('bad-json');
        break;
      case 'notJsonRpc':
        reports.push('not-json-rpc');
        break;
      case 'badParams':
        reports.push('bad-params');
        break;
    }
  }
  if (testCase.truncatedTail) {
    const whole = frame(json({ jsonrpc: '2.0', method: 'fuzz.canary', params: { n: -1 } }));
    parts.push(whole.subarray(0, 1 + (testCase.cuts[0] ?? 0) % (whole.length - 1)));
    reports.push('truncated');
  }
  return {
    bytes: Buffer.concat(parts),
    expectations: { canaries, events, customs, lifecycles, decodeErrors, reports, frames: items.length + (testCase.truncatedTail ? 1 : 0) },
  };
}

function bytesOf(item: WireItem, counters: { canary: number; event: number }): Buffer {
  switch (item.kind) {
    case 'canary':
      return frame(json({ jsonrpc: '2.0', method: 'fuzz.canary', params: { n: counters.canary, text: item.text } }));
    case 'event':
      return frame(
        json({
          jsonrpc: '2.0',
          method: 'session.event',
          params: {
            sessionId: item.sessionId,
            event: { id: uuid(counters.event), timestamp: '2026-12-01T00:00:00.000Z', parentId: null, type: item.type, data: { messageId: 'm', deltaContent: item.text } },
          },
        }),
      );
    case 'custom':
      return frame(json({ jsonrpc: '2.0', method: '$/fuzz.custom', params: item.params }));
    case 'lifecycle':
      return frame(json({ jsonrpc: '2.0', method: 'session.lifecycle', params: { type: 'session.created', sessionId: 's1' } }));
    case 'quiet':
    case 'badJson':
    case 'notJsonRpc':
    case 'badParams':
      return frame(item.body);
    case 'badEvent':
      return frame(`{"jsonrpc":"2.0","method":"session.event","params":${item.params}}`);
    case 'badLifecycle':
      return frame(`{"jsonrpc":"2.0","method":"session.lifecycle","params":${item.params}}`);
    case 'garbage':
      return Buffer.from(item.bytes);
    case 'badHeader':
      return Buffer.from(`${item.header}\r\n\r\n${item.body}`, 'latin1');
    case 'tooLarge':
      return Buffer.from(`Content-Length: ${item.claim}\r\n\r\n${item.body}`, 'latin1');
  }
}

/** Text for bodies: any Unicode (multi-byte UTF-8 gets cut across chunks), never a frame header. */
const textArb = fc.string({ unit: 'binary', maxLength: 40 }).filter((text) => !/content-length/i.test(text));
/** Bytes between frames that no reader could take for a header; ending in a line break they could be header lines. */
const garbageArb = fc
  .uint8Array({ minLength: 1, maxLength: 48 })
  .filter((bytes) => bytes[bytes.length - 1] !== 10 && !/content-length/i.test(Buffer.from(bytes).toString('latin1')));
/** A body after a header that breaks the framing: dropped, so anything but a header. */
const droppedBodyArb = fc.string({ maxLength: 30 }).filter((text) => !text.includes(MARKER));

/** Nesting depths; 20,000 levels (what overflowed the stack) is costly to parse, so rarer. */
const depthArb = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(1, 3, 100) }, { weight: 1, arbitrary: fc.constant(20_000) });
const oddParamsArb = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer(),
  fc.string({ maxLength: 8 }),
  fc.constant([]),
  fc.constant([1, 2, 3]),
  fc.constant({}),
  fc.constant({ id: { nested: true } }),
  fc.constant({ token: [] }),
  fc.constant({ message: 5 }),
);

const itemArb: fc.Arbitrary<WireItem> = fc.oneof(
  { weight: 6, arbitrary: textArb.map((text) => ({ kind: 'canary' as const, text })) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('event' as const),
      // Known and unknown types; known and unknown sessions.
      type: fc.constantFrom('assistant.message_delta', 'fuzz.unknown_kind'),
      sessionId: fc.constantFrom('s1', 's2', 'nobody'),
      text: textArb,
    }),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((params) => ({ kind: 'custom' as const, params })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'lifecycle' as const }) },
  {
    weight: 1,
    // Well-formed messages nothing on the fast path sees: a valid cancel, a stray response, a server request.
    arbitrary: fc
      .constantFrom(
        json({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 424242 } }),
        json({ jsonrpc: '2.0', method: '$/progress', params: { token: 'fuzz', value: 1 } }),
        json({ jsonrpc: '2.0', id: 987654, result: null }),
        json({ jsonrpc: '2.0', id: 'fuzz-request', method: 'fuzz.ask', params: {} }),
      )
      .map((body) => ({ kind: 'quiet' as const, body })),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.constantFrom('"nope"', 'null', json({ sessionId: 's1', event: { type: 'session.idle', data: {} } })),
        depthArb.map(
          (levels) =>
            `{"sessionId":"s1","event":{"id":"${uuid(999_999)}","timestamp":"t","parentId":null,"type":"assistant.message_delta",` +
            `"data":{"messageId":"m","deltaContent":${deepJson(levels, false)}}}}`,
        ),
        fc.integer().map((n) => json({ sessionId: 's1', event: { id: uuid(999_998), timestamp: 't', parentId: null, type: 'assistant.message_delta', data: { messageId: 'm', deltaContent: n } } })),
        depthArb.map((levels) => `{"sessionId":${deepJson(levels, true)},"event":{}}`),
      )
      .map((params) => ({ kind: 'badEvent' as const, params })),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.constant('null'), depthArb.map((levels) => `{"type":"session.created","sessionId":${deepJson(levels, false)}}`))
      .map((params) => ({ kind: 'badLifecycle' as const, params })),
  },
  { weight: 2, arbitrary: garbageArb.map((bytes) => ({ kind: 'garbage' as const, bytes })) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('badHeader' as const),
      // Each starts with the marker, and holds no second one (that would be a header of its own).
      header: fc.constantFrom(
        'Content-Length: nope',
        'Content-Length: -1',
        'Content-Length: 1 2',
        'Content-Length:',
        'Content-Length: 5\r\ncontent-length: 6',
        'Content-Length: 5\r\nX Y: 1',
        'Content-Length: 5\r\nno colon here',
        `Content-Length: 5\r\n${'h'.repeat(9000)}: 1`,
      ),
      body: droppedBodyArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('tooLarge' as const),
      claim: fc.oneof(
        fc.integer({ min: FUZZ_MAX_MESSAGE_BYTES + 1, max: 2 ** 31 }).map(String),
        fc.constant('999999999999999'),
        fc.integer({ min: 16, max: 60 }).map((digits) => '9'.repeat(digits)),
      ),
      body: droppedBodyArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(textArb, fc.constantFrom('{"jsonrpc":"2.0","method":', '{', '', 'undefined', '{"a":1}}'))
      .filter((body) => !parses(body))
      .map((body) => ({ kind: 'badJson' as const, body })),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.constantFrom('[]', '[1,2]', '5', '"text"', 'null', '{}', '{"id":1}', '{"jsonrpc":"2.0","method":"x","id":true}', '{"id":{},"result":1}'),
        depthArb.map((levels) => `{"jsonrpc":"2.0","method":${deepJson(levels, false)}}`),
        depthArb.map((levels) => `{"jsonrpc":"2.0","id":${deepJson(levels, true)},"method":"x"}`),
        // Responses (to no request) whose error vscode-jsonrpc would choke on.
        fc.constantFrom('{"jsonrpc":"2.0","id":77,"error":null}', '{"jsonrpc":"2.0","id":78,"error":"boom"}'),
        depthArb.map((levels) => `{"jsonrpc":"2.0","id":79,"error":{"code":1,"message":${deepJson(levels, false)}}}`),
      )
      .map((body) => ({ kind: 'notJsonRpc' as const, body })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('$/cancelRequest', '$/progress', '$/logTrace'), oddParamsArb, fc.option(depthArb, { nil: undefined }))
      .map(([method, params, deep]) =>
        deep === undefined
          ? json({ jsonrpc: '2.0', method, ...(params !== undefined && { params }) })
          : `{"jsonrpc":"2.0","method":"${method}","params":{"id":${deepJson(deep, false)},"token":${deepJson(deep, true)}}}`,
      )
      .map((body) => ({ kind: 'badParams' as const, body })),
  },
);

export const wireCaseArb: fc.Arbitrary<WireCase> = fc.record({
  items: fc.array(itemArb, { maxLength: 12 }),
  truncatedTail: fc.boolean(),
  cuts: fc.array(fc.nat(), { maxLength: 12 }),
});

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
