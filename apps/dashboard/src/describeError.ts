/** The message of anything thrown, for a notice or a terminal line (never a stack). */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
