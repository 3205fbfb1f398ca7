import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { transformSync } from '@swc/core';
import * as rxjs from 'rxjs';
import { ofType } from '../../core/src/ofType';
import * as accumulateText from './accumulateText';
import * as bufferDeltas from './bufferDeltas';
import * as chainGaps from './chainGaps';
import * as compactionStatus from './compactionStatus';
import * as countTokens from './countTokens';
import * as dedupeEvents from './dedupeEvents';
import * as detectIdle from './detectIdle';
import * as errors from './errors';
import * as firstTokenTimeout from './firstTokenTimeout';
import * as smoothText from './smoothText';
import * as streamMetrics from './streamMetrics';
import * as toolCalls from './toolCalls';
import * as turns from './turns';
import * as untilIdle from './untilIdle';
import * as usageTotals from './usageTotals';

// The README's examples run against the operators' sources. They are assembled here file by file
// rather than through index.ts, whose `ofType` re-export loads all of @copilot-rx/core.
const operators = {
  ofType,
  ...accumulateText,
  ...bufferDeltas,
  ...chainGaps,
  ...compactionStatus,
  ...countTokens,
  ...dedupeEvents,
  ...detectIdle,
  ...errors,
  ...firstTokenTimeout,
  ...smoothText,
  ...streamMetrics,
  ...toolCalls,
  ...turns,
  ...untilIdle,
  ...usageTotals,
};
const OPERATORS = ['ofType', 'accumulateText', 'bufferDeltas', 'smoothText', 'countTokens', 'usageTotals', 'detectIdle', 'untilIdle', 'firstTokenTimeout', 'turns', 'toolCalls', 'streamMetrics', 'compactionStatus', 'dedupeEvents', 'chainGaps'];

const README = fs.readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');

/** The marble diagram of an operator's doc comment, without the comment's ` * ` margin. */
function diagramOf(name: string): string {
  const file = name === 'ofType' ? path.resolve(__dirname, '../../core/src/ofType.ts') : path.resolve(__dirname, `${name}.ts`);
  const block = /\n \* ```\n([\s\S]*?)\n \* ```\n/.exec(fs.readFileSync(file, 'utf8'));
  if (block === null) throw new Error(`${file} has no marble diagram in its doc comment`);
  return block[1]!
    .split('\n')
    .map((line) => line.replace(/^ \* ?/, ''))
    .join('\n');
}

/** The `## name` section's first ```ts block, and the `// →` lines it says it prints. */
function exampleOf(name: string): { readonly code: string; readonly prints: string[] } {
  const section = README.split(/^## /m).find((part) => part.startsWith(`${name}\n`));
  if (section === undefined) throw new Error(`README.md has no "## ${name}" section`);
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (block === null) throw new Error(`README.md's ${name} section has no ts example`);
  const code = block[1]!;
  return { code, prints: [...code.matchAll(/^\/\/ → ?(.*)$/gm)].map((match) => match[1]!) };
}

/** Runs an example as a CommonJS module, its imports served from the sources, and collects what it logs. */
async function run(code: string, expectedLines: number): Promise<string[]> {
  const js = transformSync(code, { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code;
  const modules: Record<string, unknown> = { rxjs, '@copilot-rx/operators': operators };
  const printed: string[] = [];
  const log = (...args: unknown[]) => printed.push(args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { breakLength: Infinity }))).join(' '));
  const requireShim = (id: string): unknown => {
    if (!(id in modules)) throw new Error(`README example imports ${id}, which the examples may not use`);
    return modules[id];
  };
  new Function('require', 'exports', 'console', js)(requireShim, {}, { log });
  // Examples with timers (smoothText, detectIdle, ...) print over some tens of ms; wait for the lines,
  // then a little longer so that an extra line would be caught too.
  for (let waited = 0; printed.length < expectedLines && waited < 3000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 80));
  return printed;
}

describe('README.md', () => {
  it.each(OPERATORS)('shows the marble diagram of %s from its doc comment', (name) => {
    expect(README).toContain(`<pre>\n${diagramOf(name)}\n</pre>`);
  });

  it.each(OPERATORS)('has a %s example that prints what it says', async (name) => {
    const { code, prints } = exampleOf(name);
    expect(prints.length).toBeGreaterThan(0);
    expect(await run(code, prints.length)).toEqual(prints);
  });
});
