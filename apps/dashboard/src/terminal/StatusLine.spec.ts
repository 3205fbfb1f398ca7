/**
 * The status line on a terminal shared with the answer, checked on the screen a user would see
 * (renderScreen), with wide characters: CJK and emoji take two columns, and neither the status nor
 * the text around it may be broken by them.
 */
import { Writable } from 'node:stream';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { renderScreen } from '../testSupport/renderScreen';
import { StatusLine, type TerminalStreams } from './StatusLine';

/** stdout and stderr on one terminal of `columns` columns: everything lands in one output. */
function terminal(columns: number): { streams: TerminalStreams; output: () => string } {
  let output = '';
  const stream = () =>
    Object.assign(
      new Writable({
        decodeStrings: false,
        write(chunk: string, _encoding, done) {
          output += chunk;
          done();
        },
      }),
      { isTTY: true, columns },
    );
  return { streams: { stdout: stream(), stderr: stream() }, output: () => output };
}

const widest = (rows: readonly string[]) => Math.max(0, ...rows.map((row) => stringWidth(row)));

describe('StatusLine', () => {
  it('shortens a status of wide characters to the terminal width, by columns, not by UTF-16 units', () => {
    const { streams, output } = terminal(20);
    const status = new StatusLine(streams);
    // 15 UTF-16 units but 30 columns: counting units would let it wrap onto a second row.
    status.set('状态：正在运行工具天气查询中…');
    const rows = renderScreen(output(), 20);
    expect(rows).toHaveLength(1);
    expect(stringWidth(rows[0]!)).toBeLessThanOrEqual(19);
    expect(rows[0]).toBe('状态：正在运行工具…');
  });

  it('never cuts an emoji sequence or a flag in half', () => {
    const { streams, output } = terminal(20);
    const status = new StatusLine(streams);
    status.set(`12345678901234567 👩‍👩‍👧🇳🇴`);
    expect(renderScreen(output(), 20)).toEqual(['12345678901234567 …']);
    status.set('123456789012345 👩‍👩‍👧🇳🇴');
    expect(renderScreen(output(), 20)).toEqual(['123456789012345 👩‍👩‍👧…']);
  });

  it('leaves a status that fits as it is, and draws controls in it as U+FFFD instead of obeying them', () => {
    const { streams, output } = terminal(40);
    const status = new StatusLine(streams);
    status.set('3 tokens · running 天气\n\x1b[2J');
    expect(renderScreen(output(), 40)).toEqual(['3 tokens · running 天气\uFFFD\uFFFD[2J']);
  });

  it('puts the cursor back after wide text, so the next text continues where it ended', () => {
    const { streams, output } = terminal(20);
    const status = new StatusLine(streams);
    status.writeText('中文字符');
    status.set('status');
    status.writeText('ab');
    expect(renderScreen(output(), 20)).toEqual(['中文字符ab', 'status']);
  });

  it('wraps a wide character whole when one column is left, as the terminal does', () => {
    const { streams, output } = terminal(20);
    const status = new StatusLine(streams);
    status.writeText('x'.repeat(19));
    status.writeText('中');
    status.set('status');
    status.writeText('y');
    expect(renderScreen(output(), 20)).toEqual(['x'.repeat(19), '中y', 'status']);
  });

  it('redraws the status in place below text that filled its row exactly, leaving no blank row', () => {
    const { streams, output } = terminal(20);
    const status = new StatusLine(streams);
    status.writeText('x'.repeat(18) + '中');
    status.set('one');
    status.set('two');
    status.writeText('y');
    expect(renderScreen(output(), 20)).toEqual(['x'.repeat(18) + '中', 'y', 'two']);
  });

  it('keeps every row within the width and the text intact, whatever mix of wide and narrow text arrives', () => {
    // Whole graphemes only: a chunk boundary inside one is a different problem (the CLI never splits them).
    const graphemes = ['a', 'B', ' ', '.', 'é', 'e\u0301', '中', '文', 'Ａ', 'ｱ', '😀', '👩‍👩‍👧', '🇳🇴', '\n'];
    const text = fc.array(fc.constantFrom(...graphemes), { minLength: 1, maxLength: 30 }).map((chars) => chars.join(''));
    const statusOf = fc.array(fc.constantFrom(...graphemes.filter((g) => g !== '\n')), { maxLength: 40 }).map((chars) => `n ${chars.join('')}`);
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 32 }), fc.array(fc.tuple(text, statusOf), { minLength: 1, maxLength: 12 }), (width, steps) => {
        const { streams, output } = terminal(width);
        const status = new StatusLine(streams);
        let written = '';
        for (const [chunk, line] of steps) {
          status.writeText(chunk);
          written += chunk;
          status.set(line);
          const rows = renderScreen(output(), width);
          expect(widest(rows)).toBeLessThanOrEqual(width);
          // The status is the last row, within one column less than the width, and the text above it is intact.
          expect(stringWidth(rows.at(-1)!)).toBeLessThanOrEqual(width - 1);
          expect(rows.at(-1)!.startsWith('n ')).toBe(true);
        }
        status.clear();
        expect(renderScreen(output(), width)).toEqual(renderScreen(written, width));
      }),
      { numRuns: 400, seed: 20261201 },
    );
  });
});
