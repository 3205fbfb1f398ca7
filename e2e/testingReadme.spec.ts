/**
 * The scripted model endpoint's example in packages/testing/README.md runs as written against the real
 * CLI, so the documentation cannot drift from the API: the code block after the
 * `<!-- example: scripted-endpoint -->` comment is stripped of its types by swc (as jest does), its
 * top-level awaits wrapped in an async function, and run with this spec's `require` (which maps the
 * `@copilot-rx/*` imports to the sources) and a console that records what it prints.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { transformSync } from '@swc/core';
import { derivedAnswerChunks } from '@copilot-rx/testing';

jest.setTimeout(90_000);

const README = path.join(__dirname, '..', 'packages', 'testing', 'README.md');

function exampleCode(marker: string): string {
  const text = readFileSync(README, 'utf8');
  const match = new RegExp(`<!-- example: ${marker} -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(text);
  if (!match?.[1]) throw new Error(`packages/testing/README.md has no ts block after <!-- example: ${marker} -->`);
  return match[1];
}

it('runs the README\'s scripted-endpoint example: the real CLI streams the predicted chunks', async () => {
  const { code } = transformSync(exampleCode('scripted-endpoint'), {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  const printed: unknown[] = [];
  const console = { log: (...values: unknown[]) => printed.push(values.join(' ')) };
  const run = new Function('require', 'exports', 'console', `return (async () => {\n${code}\n})();`) as (
    ...args: [NodeJS.Require, object, typeof console]
  ) => Promise<void>;

  await run(require, {}, console);

  expect(printed).toEqual(derivedAnswerChunks('Hello there [[chunks 3]] [[pace 20]]', 3));
  expect(printed).toEqual(['Hello-1', ' there-2', ' Hello-3']); // what the README's comment promises
});
