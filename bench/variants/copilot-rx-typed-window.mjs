/**
 * copilot-rx exactly as the `copilot-rx` variant, except that core's de-duplication window is swapped
 * for the typed-array PROTOTYPE of experiments/uuidIdWindow.mjs (by patching BoundedIdWindow's `add`
 * in this process only), to measure what that change would be worth in the real event path.
 */
import { createRequire } from 'node:module';
import { createUuidIdWindow } from '../experiments/uuidIdWindow.mjs';

// The same module instance @copilot-rx/core uses (CommonJS, cached by real path).
const { BoundedIdWindow } = createRequire(import.meta.url)('../../packages/core/dist/events/idWindow.js');
const original = BoundedIdWindow.prototype.add;
const windows = new WeakMap();
BoundedIdWindow.prototype.add = function add(id) {
  let window = windows.get(this);
  if (!window) {
    window = createUuidIdWindow(class extends BoundedIdWindow {
      add(other) {
        return original.call(this, other);
      }
    }, this.capacity);
    windows.set(this, window);
  }
  return window.add(id);
};

await import('./copilot-rx.mjs');
