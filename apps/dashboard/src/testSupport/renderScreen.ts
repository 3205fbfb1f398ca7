/**
 * What a terminal shows after some output: a minimal emulator of the few controls the status line
 * uses (CR, LF, erase line, cursor up, cursor to column, colours ignored), with a fixed width,
 * auto-wrap and wide characters (two columns, wrapped whole when only one is left), so a test can
 * check the screen a user would see rather than the raw bytes. A row is its characters joined: a
 * wide one is one string in the row, so measure rows with string-width, not `.length`. Characters
 * of no width (controls other than the ones above) take no cell and are left out.
 */
import { cellsOf } from '../terminal/columns';

const TOKENS = /\x1b\[(\d*)([A-Za-z])|\x1b|\r|\n|[^\x1b\r\n]+/g;

export function renderScreen(output: string, width: number): string[] {
  // A wide character's second column holds '' so that joining a row gives back its text.
  const rows: string[][] = [[]];
  let row = 0;
  let column = 0;
  // After a character in the last column the cursor stays there until the next character wraps.
  let pendingWrap = false;
  const line = () => (rows[row] ??= []);

  for (const token of output.matchAll(TOKENS)) {
    const [text, count, letter] = token;
    if (text === '\x1b') throw new Error(`renderScreen does not know the control at ${JSON.stringify(output.slice(token.index, token.index + 8))}`);
    if (letter !== undefined) {
      const n = count === '' || count === undefined ? 1 : Number(count);
      if (letter === 'A') row = Math.max(0, row - n);
      else if (letter === 'G') column = n - 1;
      else if (letter === 'K' && n === 2) rows[row] = [];
      else if (letter !== 'm') throw new Error(`renderScreen does not know ESC[${count}${letter}`);
      if (letter === 'A' || letter === 'G') pendingWrap = false;
    } else if (text === '\r') {
      column = 0;
      pendingWrap = false;
    } else if (text === '\n') {
      row++;
      column = 0;
      pendingWrap = false;
    } else {
      for (const cell of cellsOf(text)) {
        if (cell.columns === 0) continue;
        if (pendingWrap || column + cell.columns > width) {
          row++;
          column = 0;
          pendingWrap = false;
        }
        const cells = line();
        while (cells.length < column) cells.push(' ');
        cells[column] = cell.text;
        for (let k = 1; k < cell.columns; k++) cells[column + k] = '';
        if (column + cell.columns >= width) {
          column = width - 1;
          pendingWrap = true;
        } else column += cell.columns;
      }
    }
  }
  // Rows keep their trailing spaces: a space written in the last column is part of the text.
  const screen = Array.from(rows, (cells) => (cells ?? []).join(''));
  while (screen.length > 0 && screen.at(-1) === '') screen.pop();
  return screen;
}
