/**
 * What a terminal shows after some output: a minimal emulator of the few controls the status line
 * uses (CR, LF, erase line, cursor up, cursor to column, colours ignored), with a fixed width and
 * auto-wrap, so a test can check the screen a user would see rather than the raw bytes.
 */
export function renderScreen(output: string, width: number): string[] {
  const rows: string[][] = [[]];
  let row = 0;
  let column = 0;
  // After a character in the last column the cursor stays there until the next character wraps.
  let pendingWrap = false;
  const line = () => (rows[row] ??= []);

  for (let i = 0; i < output.length; i++) {
    const char = output[i]!;
    if (char === '\x1b') {
      const control = /^\x1b\[(\d*)([A-Za-z])/.exec(output.slice(i));
      if (!control) throw new Error(`renderScreen does not know the control at ${JSON.stringify(output.slice(i, i + 8))}`);
      i += control[0].length - 1;
      const n = control[1] === '' ? 1 : Number(control[1]);
      if (control[2] === 'A') row = Math.max(0, row - n);
      else if (control[2] === 'G') column = n - 1;
      else if (control[2] === 'K' && n === 2) rows[row] = [];
      else if (control[2] !== 'm') throw new Error(`renderScreen does not know ESC[${control[1]}${control[2]}`);
      if (control[2] === 'A' || control[2] === 'G') pendingWrap = false;
    } else if (char === '\r') {
      column = 0;
      pendingWrap = false;
    } else if (char === '\n') {
      row++;
      column = 0;
      pendingWrap = false;
    } else {
      if (pendingWrap) {
        row++;
        column = 0;
        pendingWrap = false;
      }
      const cells = line();
      while (cells.length < column) cells.push(' ');
      cells[column] = char;
      if (column === width - 1) pendingWrap = true;
      else column++;
    }
  }
  // Rows keep their trailing spaces: a space written in the last column is part of the text.
  const screen = Array.from(rows, (cells) => (cells ?? []).join(''));
  while (screen.length > 0 && screen.at(-1) === '') screen.pop();
  return screen;
}
