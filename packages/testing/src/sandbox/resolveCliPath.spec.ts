import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliNotFoundError, resolveCliPath } from './resolveCliPath';

describe('resolveCliPath', () => {
  it('finds the executable native binary of the installed platform package', () => {
    const cliPath = resolveCliPath();
    expect(path.basename(path.dirname(cliPath))).toBe(`copilot-${process.platform}-${process.arch}`);
    expect(() => accessSync(cliPath, constants.X_OK)).not.toThrow();
  });

  it('says which package it looked for and where, when it is not installed there', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'copilot-rx-nocli-'));
    try {
      const attempt = () => resolveCliPath([empty]);
      expect(attempt).toThrow(CliNotFoundError);
      expect(attempt).toThrow(`@github/copilot-${process.platform}-${process.arch}/copilot`);
      expect(attempt).toThrow(`from ${empty}.`);
      expect(attempt).toThrow(/npm install @github\/copilot/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
