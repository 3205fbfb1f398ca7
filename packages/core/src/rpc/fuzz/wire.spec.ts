/**
 * The incoming path under fuzzed input (issue 9 §8), a few thousand seeded cases: random bytes, bad
 * headers, oversized claims, truncated frames, UTF-8 cut across chunks, JSON that is not JSON-RPC,
 * wrong types, deep nesting, unknown event types and sessions, `$/` messages with odd params. The
 * property (see wireItems.ts for what "exactly once" means): nothing throws out of the reader or the
 * connection, every well-formed canary is delivered in order, every bad item is reported exactly
 * once, on the stream it belongs to. `npm run fuzz` runs the same cases by the hundred thousand.
 */
import fc from 'fast-check';
import { runWireCase } from '../../testSupport/wireFuzz/runWireCase.js';
import { wireCaseArb } from '../../testSupport/wireFuzz/wireItems.js';

describe('the incoming path under fuzzed input', () => {
  it('delivers every canary and reports every bad item exactly once, whatever the bytes and the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(wireCaseArb, async (testCase) => {
        const { violations } = await runWireCase(testCase);
        expect(violations).toEqual([]);
      }),
      { numRuns: 800, seed: 9_2026 },
    );
    // A bound for a loaded machine, not a speed assertion: the run takes a few seconds.
  }, 120_000);
});
