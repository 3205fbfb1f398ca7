/**
 * What a peer is told about an error: its name, its `code` when it has one (every copilot-rx error
 * does) and its message. Never the stack, nor any other field: those may carry paths or secrets.
 */
export interface ErrorPayload {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
}

export function errorPayload(error: unknown): ErrorPayload {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? { name: error.name, code, message: error.message } : { name: error.name, message: error.message };
  }
  return { name: 'Error', message: String(error) };
}
