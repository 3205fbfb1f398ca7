/**
 * The Angular example (examples/angular) compiles with tsc against the built packages, as an app's
 * build would, and its pipeline runs under Angular's real `toSignal`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildAll, compileProject } from './support/build';

jest.setTimeout(180_000);

const root = path.resolve(__dirname, '..');
const example = path.join(root, 'examples', 'angular');
const run = (args: string[], cwd = root) => execFileSync(process.execPath, args, { cwd, encoding: 'utf8', stdio: 'pipe' });

beforeAll(() => {
  rmSync(path.join(example, 'dist'), { recursive: true, force: true });
  buildAll();
});

describe('the Angular example', () => {
  it('compiles: a standalone component with signal inputs, toObservable, toSignal and the operators', () => {
    expect(() => compileProject('examples/angular')).not.toThrow();
    const component = readFileSync(path.join(example, 'dist', 'streaming-answer.component.js'), 'utf8');
    expect(component).toContain("selector: 'copilot-streaming-answer'");
    expect(component).toMatch(/toSignal\(toObservable\(this\.#turn\)/);
  });

  it('renders the streaming answer through toSignal: text as it arrives, tokens, done, and teardown with the component', () => {
    const result = JSON.parse(run(['check-answer-view.mjs'], example)) as {
      seen: { text: string; tokens: number; done: boolean; error: string | null }[];
      observedBeforeDestroy: boolean;
      secondObserved: boolean;
      secondObservedAfterDestroy: boolean;
    };
    expect(result.seen.map(({ text, done }) => ({ text, done }))).toEqual([
      { text: '', done: false },
      { text: 'Hello', done: false },
      { text: 'Hello, world', done: false },
      { text: 'Hello, world!', done: true },
    ]);
    // The token count follows the text (it may lag it by one view within a frame).
    expect(result.seen[2]!.tokens).toBeGreaterThan(0);
    expect(result.seen[3]!.tokens).toBeGreaterThanOrEqual(result.seen[2]!.tokens);
    expect(result.observedBeforeDestroy).toBe(false);
    expect(result.secondObserved).toBe(true);
    expect(result.secondObservedAfterDestroy).toBe(false);
  });
});
