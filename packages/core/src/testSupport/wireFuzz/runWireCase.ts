/**
 * Runs one fuzzed byte stream through the whole incoming path: an `RpcConnection` (the framing
 * reader, vscode-jsonrpc for requests, responses and `$/` notifications) over a stream pair, with an
 * `EventHub` decoding its notifications, exactly as the client wires them. Returns what differed
 * from the oracle (`encode`), so the spec and `npm run fuzz` judge a case the same way.
 */
import { PassThrough } from 'node:stream';
import { EventHub } from '../../events/eventHub.js';
import { RpcConnection } from '../../rpc/connection.js';
import type { MalformedMessageError } from '../../rpc/malformed.js';
import type { TransportCloseInfo, TransportConnection } from '../../transport/types.js';
import { FUZZ_MAX_MESSAGE_BYTES, encode, type WireCase } from './wireItems.js';

/** The longest a case may take to be delivered before it counts as a hang. */
const CASE_BOUND_MS = 5000;

export interface WireCaseResult {
  /** Every way the client's output differed from the oracle; empty when the case passed. */
  readonly violations: readonly string[];
  /** Items on the wire, canaries (and events) delivered, and reports by reason, for the long run's tallies. */
  readonly frames: number;
  readonly delivered: number;
  readonly reports: readonly MalformedMessageError[];
  readonly decodeErrors: number;
}

export async function runWireCase(testCase: WireCase): Promise<WireCaseResult> {
  const { bytes, expectations } = encode(testCase);
  const toClient = new PassThrough();
  const fromClient = new PassThrough();
  // Answers the client writes (to server requests) go nowhere.
  fromClient.resume();
  let close!: (info: TransportCloseInfo) => void;
  const transport: TransportConnection = {
    readable: toClient,
    writable: fromClient,
    // Closed only on dispose: the reader must get to deliver and report everything after the end.
    closed: new Promise((resolve) => (close = resolve)),
    description: 'fuzz wire',
    stderrTail: () => '',
    dispose: async () => close({ reason: 'disposed', exitCode: 0, signal: null }),
    kill: () => close({ reason: 'killed', exitCode: null, signal: 'SIGKILL' }),
  };
  const rpc = new RpcConnection(transport, { maxMessageBytes: FUZZ_MAX_MESSAGE_BYTES });
  // A small de-duplication window: the default one is megabytes of typed arrays, per case.
  const hub = new EventHub(1024);
  const canaries: number[] = [];
  const events: string[] = [];
  const reports: MalformedMessageError[] = [];
  let customs = 0;
  let lifecycles = 0;
  let decodeErrors = 0;
  let failed: unknown;
  rpc.notifications$.subscribe({
    next: (n) => {
      if (n.method === 'fuzz.canary') canaries.push((n.params as { n: number }).n);
      else if (n.method === '$/fuzz.custom') customs++;
    },
    error: (error: unknown) => (failed = error),
  });
  rpc.malformed$.subscribe((report) => reports.push(report));
  hub.attach(rpc.notifications$);
  // The hub's streams end with the connection; an error there is a violation, never an uncaught throw.
  hub.events$.subscribe({ next: (e) => events.push(e.event.id), error: (error: unknown) => (failed = error) });
  hub.decodeErrors$.subscribe(() => decodeErrors++);
  hub.lifecycle$.subscribe(() => lifecycles++);

  for (const chunk of chunks(bytes, testCase.cuts)) toClient.write(chunk);
  toClient.end();

  const done = () =>
    canaries.length >= expectations.canaries.length &&
    events.length >= expectations.events.length &&
    customs >= expectations.customs &&
    lifecycles >= expectations.lifecycles &&
    decodeErrors >= expectations.decodeErrors &&
    reports.length >= expectations.reports.length;
  const deadline = Date.now() + CASE_BOUND_MS;
  while (!done() && Date.now() < deadline) await macrotask();
  // A few turns more, so a report or a delivery too many would show.
  for (let i = 0; i < 3; i++) await macrotask();
  rpc.dispose();
  await transport.dispose();

  const violations: string[] = [];
  const differ = (what: string, actual: unknown, expected: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(expected)) violations.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  };
  if (failed !== undefined) violations.push(`the streams failed: ${String(failed)}`);
  differ('canaries', canaries, expectations.canaries);
  differ('events', events, expectations.events);
  differ('$/ custom notifications', customs, expectations.customs);
  differ('lifecycle events', lifecycles, expectations.lifecycles);
  differ('decode errors', decodeErrors, expectations.decodeErrors);
  differ(
    'malformed reports',
    reports.map((r) => (r.reason === 'resynchronised' ? `resynchronised:${r.droppedBytes}` : r.reason)),
    expectations.reports,
  );
  return { violations, frames: expectations.frames, delivered: canaries.length + events.length, reports, decodeErrors };
}

function chunks(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) out.push(bytes.subarray(start, point));
    start = point;
  }
  return out;
}

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));
