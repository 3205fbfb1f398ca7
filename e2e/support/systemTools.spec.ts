import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findSystemTool, MissingSystemToolError, requireSystemTool } from './systemTools';

let dir: string;
let bin: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'copilot-rx-system-tools-'));
  bin = path.join(dir, 'bin');
  mkdirSync(bin);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const executable = (file: string) => {
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
};

describe('findSystemTool', () => {
  it('finds an executable on PATH', () => {
    const tool = executable(path.join(bin, 'some-tool'));
    expect(findSystemTool('some-tool', [], { PATH: `/nonexistent${path.delimiter}${bin}` })).toBe(tool);
  });

  it('tries the given paths before PATH', () => {
    executable(path.join(bin, 'some-tool'));
    const pinned = executable(path.join(dir, 'pinned-tool'));
    expect(findSystemTool('some-tool', [pinned], { PATH: bin })).toBe(pinned);
  });

  it('does not take a file that is not executable, nor a directory of the name', () => {
    writeFileSync(path.join(bin, 'some-tool'), 'not executable');
    mkdirSync(path.join(dir, 'some-tool'));
    expect(findSystemTool('some-tool', [path.join(dir, 'some-tool')], { PATH: bin })).toBeUndefined();
  });
});

describe('requireSystemTool', () => {
  it('runs the suite when the tool is there', () => {
    const tool = executable(path.join(bin, 'some-tool'));
    const found = requireSystemTool('some-tool', { install: 'apt-get install some-tool', env: { PATH: bin } });
    expect(found).toEqual({ name: 'some-tool', path: tool, describe });
  });

  it('skips the suite with a message naming the tool and its install command when it is missing locally', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const missing = requireSystemTool('some-tool', { install: 'apt-get install some-tool', paths: ['/nonexistent/some-tool'], env: { PATH: bin } });
      expect(missing.describe).toBe(describe.skip);
      expect(missing.path).toBeUndefined();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]?.[0]).toMatch(/some-tool is missing \(looked for \/nonexistent\/some-tool, some-tool on PATH\); install it with `apt-get install some-tool`/);
    } finally {
      warn.mockRestore();
    }
  });

  it('fails under CI=true instead of skipping, with the same message', () => {
    const attempt = () => requireSystemTool('some-tool', { install: 'apt-get install some-tool', env: { PATH: bin, CI: 'true' } });
    expect(attempt).toThrow(MissingSystemToolError);
    expect(attempt).toThrow(/some-tool is missing .*install it with `apt-get install some-tool`.*fails the suite instead of skipping/);
  });
});
