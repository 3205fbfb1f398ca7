import { describe, RpcError, RpcErrorCode } from './messages.js';

/**
 * Reads a request's `params` with errors that name the method, the field and what arrived
 * (-32602), so a client bug shows up as a readable message instead of a fake that misbehaves.
 */
export class Params {
  private constructor(
    readonly method: string,
    readonly raw: Readonly<Record<string, unknown>>,
  ) {}

  /** `params` must be an object (the SDK always sends one) or absent. */
  static of(method: string, params: unknown): Params {
    if (params === undefined) return new Params(method, {});
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw invalid(method, `params must be an object. Got ${describe(params)}`);
    }
    return new Params(method, params as Record<string, unknown>);
  }

  string(name: string): string {
    const value = this.raw[name];
    if (typeof value !== 'string') throw invalid(this.method, `"${name}" must be a string. Got ${describe(value)}`);
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw invalid(this.method, `"${name}" must be a string when given. Got ${describe(value)}`);
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw invalid(this.method, `"${name}" must be a boolean when given. Got ${describe(value)}`);
    return value;
  }

  optionalNumber(name: string): number | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'number') throw invalid(this.method, `"${name}" must be a number when given. Got ${describe(value)}`);
    return value;
  }

  optionalArray(name: string): readonly unknown[] | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw invalid(this.method, `"${name}" must be an array when given. Got ${describe(value)}`);
    return value;
  }

  /** An object-valued field, as its own `Params` (so nested errors keep the method name). */
  object(name: string): Params {
    const value = this.raw[name];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw invalid(this.method, `"${name}" must be an object. Got ${describe(value)}`);
    }
    return new Params(this.method, value as Record<string, unknown>);
  }

  has(name: string): boolean {
    return this.raw[name] !== undefined;
  }
}

function invalid(method: string, detail: string): RpcError {
  return new RpcError(RpcErrorCode.InvalidParams, `Invalid params for ${method}: ${detail}`);
}
