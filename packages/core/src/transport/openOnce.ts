/**
 * A transport is a recipe for one connection: its streams, process or socket cannot be reused, so a
 * second `open()` is a mistake that must not silently spawn or connect again.
 */
import { InvalidStateError } from '../errors.js';
import type { Transport, TransportConnection } from './types.js';

/** Wraps `open` so that only its first call runs; later calls reject with InvalidStateError. */
export function openOnce(kind: Transport['kind'], open: () => Promise<TransportConnection>): Transport {
  let opened = false;
  return {
    kind,
    open: () => {
      if (opened) {
        return Promise.reject(new InvalidStateError(`This ${kind} transport was already opened; create a new transport for each connection`));
      }
      opened = true;
      return open();
    },
  };
}
