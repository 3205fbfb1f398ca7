/**
 * The page repaints at most about 60 times a second, so the server coalesces what it pushes to that
 * rate: more often would only cost bandwidth and layout work in the browser.
 */
export const FRAME_MS = 16;
