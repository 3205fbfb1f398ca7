import { reconnectDelay, retryWithBackoff, ReconnectExhausted, validateReconnect, validateReopenable } from './reconnect';

describe('reconnect policy', () => {
  it('rejects an unusable attempt count or delay, naming the field', () => {
    expect(() => validateReconnect({ maxAttempts: 0 })).toThrow(/reconnect.maxAttempts must be a positive integer. Got 0/);
    expect(() => validateReconnect({ maxAttempts: 1.5 })).toThrow(/maxAttempts/);
    expect(() => validateReconnect({ delayMs: -1 })).toThrow(/reconnect.delayMs .* Got -1/);
    expect(() => validateReconnect({ delayMs: Number.NaN })).toThrow(/delayMs/);
    expect(() => validateReconnect({ maxAttempts: 3, delayMs: (attempt) => attempt })).not.toThrow();
  });

  it('waits a fixed delay, a function of the attempt, or a capped exponential backoff with jitter', () => {
    expect(reconnectDelay({ delayMs: 70 }, 4, new Error())).toBe(70);
    expect(reconnectDelay({ delayMs: (attempt) => attempt * 10 }, 3, new Error())).toBe(30);
    // Full jitter over the upper half: [ceiling/2, ceiling].
    expect(reconnectDelay({}, 1, new Error(), () => 0)).toBe(100);
    expect(reconnectDelay({}, 1, new Error(), () => 1)).toBe(200);
    expect(reconnectDelay({}, 3, new Error(), () => 1)).toBe(800);
    expect(reconnectDelay({}, 30, new Error(), () => 1)).toBe(5_000);
  });

  it('falls back to the default backoff when the delay function throws or answers nonsense', () => {
    const boom = () => {
      throw new Error('boom');
    };
    expect(reconnectDelay({ delayMs: boom }, 1, new Error(), () => 1)).toBe(200);
    expect(reconnectDelay({ delayMs: () => -5 }, 1, new Error(), () => 1)).toBe(200);
    expect(reconnectDelay({ delayMs: () => Number.NaN }, 1, new Error(), () => 1)).toBe(200);
  });

  it('retries until an attempt succeeds, passing the attempt number and the last error', async () => {
    const seen: [number, unknown][] = [];
    const result = await retryWithBackoff(
      { maxAttempts: 5, delayMs: 0 },
      'lost',
      async (attempt, lastError) => {
        seen.push([attempt, lastError]);
        if (attempt < 3) throw `failure ${attempt}`;
        return 'linked';
      },
      new AbortController().signal,
    );
    expect(result).toBe('linked');
    expect(seen).toEqual([
      [1, 'lost'],
      [2, 'failure 1'],
      [3, 'failure 2'],
    ]);
  });

  it('gives up after maxAttempts with the count and the last error', async () => {
    const failure = await retryWithBackoff({ maxAttempts: 2, delayMs: 0 }, 'lost', async (attempt) => Promise.reject(`failure ${attempt}`), new AbortController().signal).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ReconnectExhausted);
    expect(failure).toMatchObject({ attempts: 2, lastError: 'failure 2' });
  });

  it('stops at once when aborted while waiting, without another attempt', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const run = retryWithBackoff({ maxAttempts: 3, delayMs: 60_000 }, 'lost', async () => void attempts++, controller.signal);
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(ReconnectExhausted);
    expect(attempts).toBe(0);
  });
});

describe('reconnect needs a link that can be opened again', () => {
  it('accepts a transport factory, or a spawned CLI with restartCli', () => {
    expect(() => validateReopenable({}, () => ({}))).not.toThrow();
    expect(() => validateReopenable({ restartCli: true }, undefined)).not.toThrow();
    expect(() => validateReopenable({ restartCli: true }, 'tcp')).not.toThrow();
  });
  it('refuses a one-shot transport object, or a spawned CLI without restartCli, saying what would work', () => {
    expect(() => validateReopenable({}, { kind: 'tcp', open: async () => undefined })).toThrow(/transport as a function/);
    expect(() => validateReopenable({}, 'stdio')).toThrow(/restartCli: true/);
    expect(() => validateReopenable({ restartCli: true }, { kind: 'tcp' })).toThrow(TypeError);
  });
});
