/**
 * Terminal mode end to end: `npm start -- --prompt "..."` against the real Copilot CLI and the
 * embedded scripted model, offline.
 */
import { execFileSync } from 'node:child_process';
import stringWidth from 'string-width';
import { derivedAnswerChunks } from '@copilot-rx/testing';
import { buildApp, mainScript, offlineEnv, root, startApp } from './support/builtApp';
import { renderScreen } from '../../apps/dashboard/src/testSupport/renderScreen';

jest.setTimeout(120_000);

beforeAll(buildApp);

describe('npm start -- --prompt', () => {
  it('streams the answer to stdout, and nothing but the answer', async () => {
    const prompt = 'Tell me about streams [[chunks 40]] [[pace 5]]';
    const app = startApp(['--prompt', prompt]);
    expect(await app.exited).toBe(0);
    expect(app.stdout()).toBe(`${derivedAnswerChunks(prompt, 40).join('')}\n`);
    // stderr is not a terminal here: no status line, no escape codes.
    expect(app.stderr()).not.toContain('\x1b[');
    expect(app.stderr()).toMatch(/Copilot CLI 1\.\d+\.\d+ \(pid \d+\) talking to the scripted model/);
  });

  it('exits 1 and says why when the turn fails', async () => {
    const app = startApp(['--prompt', 'Fail please [[http 400]]']);
    expect(await app.exited).toBe(1);
    expect(app.stderr()).toMatch(/copilot-rx: Session .* failed \(query, HTTP 400\)/);
  });

  it('keeps a live status line below the text on a terminal, and leaves the answer intact on screen', () => {
    const prompt = 'Tell me about streams [[chunks 80]] [[pace 5]]';
    const screen = onTerminal(prompt, 60);
    const lines = statusLines(screen);
    expect(lines).toContainEqual(expect.stringMatching(/^\d+ tokens · \d+\.\d tok\/s · TTFT \d+ ms · streaming$/));
    const counts = lines.map((line) => Number.parseInt(line, 10));
    expect(Math.max(...counts)).toBeGreaterThan(counts[0]!);

    // What the user sees at the end: the CLI line, then the answer wrapped at 60 columns, no status.
    const rows = renderScreen(screen, 60);
    const answerRows = rows.slice(rows.findIndex((row) => row.startsWith('Tell-1 ')));
    expect(answerRows.every((row) => stringWidth(row) <= 60)).toBe(true);
    expect(answerRows.join('')).toBe(derivedAnswerChunks(prompt, 80).join(''));
  });

  it('keeps the status line and the answer intact when the answer is wide characters (CJK, emoji)', () => {
    const prompt = '流式 答案 😀 [[chunks 60]] [[pace 5]]';
    const screen = onTerminal(prompt, 41);
    expect(statusLines(screen).length).toBeGreaterThan(1);
    const rows = renderScreen(screen, 41);
    const answerRows = rows.slice(rows.findIndex((row) => row.startsWith('流式-1 ')));
    expect(answerRows.every((row) => stringWidth(row) <= 41)).toBe(true);
    // A wide character that did not fit at the end of a row went whole to the next: join the rows
    // back and the answer is there, every character once, nothing overwritten by the status line.
    expect(answerRows.join('')).toBe(derivedAnswerChunks(prompt, 60).join(''));
  });

  it('shows the tool in progress on the status line', () => {
    const screen = onTerminal('Weather in Oslo? [[tool get_weather {"city":"Oslo"}]] [[pace 20]]', 120);
    expect(statusLines(screen)).toContainEqual(expect.stringMatching(/^\d+ tokens · .*running get_weather$/));
    // The model read the tool's result: denied, as nobody can approve in this mode.
    expect(renderScreen(screen, 120).join('')).toMatch(/Tool get_weather returned: .*Permission denied/);
  });
});

/** Runs terminal mode on a pseudo-terminal (`script`) of `columns` columns, as a user's shell would. */
function onTerminal(prompt: string, columns: number): string {
  const command = `stty cols ${columns}; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(mainScript)} --prompt ${JSON.stringify(prompt)}`;
  return execFileSync('script', ['-qfec', command, '/dev/null'], { cwd: root, env: { ...offlineEnv(), NO_COLOR: '' }, encoding: 'utf8' });
}

/** Every status line drawn, in order. */
function statusLines(screen: string): string[] {
  return [...screen.matchAll(/\x1b\[2K(?:\x1b\[2m)?(\d+ tokens · [^\x1b\r\n]*)/g)].map((m) => m[1]!);
}
