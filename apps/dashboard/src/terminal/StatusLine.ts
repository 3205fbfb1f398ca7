import { cellsOf, fitColumns, printable, type Cell } from './columns';

/** The streams the terminal mode writes to (process.stdout/stderr, or test doubles). */
export interface TerminalStreams {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
}

const CLEAR_LINE = '\r\x1b[2K';
const up = (rows: number) => `\x1b[${rows}A`;
const toColumn = (column: number) => `\x1b[${column}G`;

/**
 * The text's column count after one more character of `columns` columns. A wide character that
 * does not fit in what is left of the row goes whole to the next one; the cells it skipped count.
 */
function advance(column: number, columns: number, width: number): number {
  const inRow = column % width;
  return inRow !== 0 && inRow + columns > width ? column + (width - inRow) + columns : column + columns;
}

/**
 * Streams text to stdout with a live status line on stderr just below it, when stderr is a terminal.
 *
 * When both go to the same terminal, the status line sits on the row after the text: before text is
 * written the status row is cleared and the cursor put back where the text ended (its column is
 * tracked), and after it the status is drawn again below. Columns are counted per user-perceived
 * character with string-width: wide CJK and emoji take two, and one that does not fit at the end of
 * a row wraps whole, as terminals do; tabs are rounded to 8. When stdout is a
 * file or a pipe, the status line is simply redrawn in place on stderr. When stderr is not a
 * terminal there is no status line at all.
 */
export class StatusLine {
  readonly #streams: TerminalStreams;
  readonly #enabled: boolean;
  readonly #sameTerminal: boolean;
  #status = '';
  #shown = false;
  /** Where the status row is: on the text's own (empty) row, or on the row below it. */
  #onTextRow = false;
  /** Columns written on the text's current line (not wrapped: the width is applied when needed). */
  #column = 0;
  /** The last visible character written, kept to put the cursor back after text that filled its row. */
  #lastCell: Cell | undefined;

  constructor(streams: TerminalStreams) {
    this.#streams = streams;
    this.#enabled = streams.stderr.isTTY === true;
    this.#sameTerminal = this.#enabled && streams.stdout.isTTY === true;
  }

  /** Writes answer text to stdout, keeping the status line below it. */
  writeText(text: string): void {
    if (text === '') return;
    this.#hide();
    this.#streams.stdout.write(text);
    const width = this.#width();
    for (const { text: char, columns } of cellsOf(text)) {
      // "\r\n" is one grapheme: test for either, not for equality.
      if (char.includes('\n') || char.includes('\r')) this.#column = 0;
      else if (char === '\t') this.#column = (this.#column + 8) & ~7;
      else if (columns > 0) {
        this.#column = advance(this.#column, columns, width);
        this.#lastCell = { text: char, columns };
      }
    }
    this.#show();
  }

  /**
   * Replaces the status text, shortened to one column less than the terminal's width: a character in
   * the last column leaves the cursor waiting to wrap, which the next clear would not undo.
   */
  set(status: string): void {
    if (!this.#enabled) return;
    this.#status = fitColumns(printable(status), this.#width() - 1);
    this.#hide();
    this.#show();
  }

  /** Removes the status line for good, leaving the cursor where the text ended. */
  clear(): void {
    this.#hide();
    this.#status = '';
  }

  /** True when the last text written left the cursor at the start of a line. */
  get atLineStart(): boolean {
    return this.#column === 0;
  }

  #width(): number {
    const columns = this.#streams.stderr.columns;
    // A pseudo-terminal nobody sized reports 0 columns.
    return columns !== undefined && columns > 0 ? Math.max(20, columns) : 80;
  }

  #show(): void {
    if (!this.#enabled || this.#status === '' || this.#shown) return;
    const styled = process.env['NO_COLOR'] ? this.#status : `\x1b[2m${this.#status}\x1b[0m`;
    if (!this.#sameTerminal) {
      this.#streams.stderr.write(`${CLEAR_LINE}${styled}`);
    } else {
      // At the start of a row (after a newline) the status takes that row; otherwise the row
      // below. Text that has just filled its row leaves the cursor waiting to wrap: the newline
      // takes it down.
      this.#onTextRow = this.#column === 0;
      this.#streams.stderr.write(this.#onTextRow ? `${CLEAR_LINE}${styled}` : `\n${CLEAR_LINE}${styled}`);
    }
    this.#shown = true;
  }

  #hide(): void {
    if (!this.#shown) return;
    this.#shown = false;
    if (!this.#sameTerminal || this.#onTextRow) {
      this.#streams.stderr.write(CLEAR_LINE);
      return;
    }
    const width = this.#width();
    const column = this.#column % width;
    if (column !== 0) {
      this.#streams.stderr.write(`${CLEAR_LINE}${up(1)}${toColumn(column + 1)}`);
    } else if (this.#lastCell !== undefined) {
      // Text that filled its row exactly left the cursor waiting to wrap, a state no cursor move
      // restores: a newline next must go down one row from there, not from the status row. Writing
      // the last character again in its place puts the cursor back into that state.
      const last = this.#lastCell;
      this.#streams.stderr.write(`${CLEAR_LINE}${up(1)}${toColumn(width - last.columns + 1)}${last.text}`);
    } else {
      this.#streams.stderr.write(CLEAR_LINE);
    }
  }
}
