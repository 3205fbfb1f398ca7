import { CopilotRxError, ResponseDecodeError } from '../errors.js';

/** How many io-ts paths an error message quotes; the error keeps all of them in `paths`. */
const QUOTED_PATHS = 8;

/**
 * The CLI's answer to a typed RPC call (`client.rpc.*`, `session.rpc.*`) does not match the result codec
 * generated from the CLI's schema: a field the schema requires is missing or has the wrong type (extra
 * fields pass). It is a ResponseDecodeError too, so one `instanceof` catches every answer of the wrong shape.
 */
export class ResultDecodeError extends ResponseDecodeError {
  /** Every failing path, as `field.path: expected type, got value` (values quoted to 80 characters). */
  readonly paths: readonly string[];

  constructor(method: string, paths: readonly string[], raw: unknown) {
    super(method, boundedPaths(paths), raw);
    this.paths = paths;
  }
}

/**
 * The params given to a typed RPC call do not match the method's params codec (a required field is
 * missing or has the wrong type), so nothing was sent.
 */
export class InvalidParamsError extends CopilotRxError {
  readonly code = 'INVALID_PARAMS';

  constructor(
    readonly method: string,
    readonly paths: readonly string[],
  ) {
    super(`The params of ${method} do not match its schema, so it was not sent: ${boundedPaths(paths).join('; ')}`);
  }
}

function boundedPaths(paths: readonly string[]): readonly string[] {
  if (paths.length <= QUOTED_PATHS) return paths;
  return [...paths.slice(0, QUOTED_PATHS), `(and ${paths.length - QUOTED_PATHS} more)`];
}
