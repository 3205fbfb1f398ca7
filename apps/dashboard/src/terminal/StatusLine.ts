/** The streams the terminal mode writes to (process.stdout/stderr, or test doubles). */
export interface TerminalStreams {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
}

const CLEAR_LINE = '\r\x1b[2K';
const up = (rows: number) => `\x1b[${rows}A`;
const toColumn = (column: number) => `\x1b[${column}G`;

/**
 * Streams text to stdout with a live status line on stderr just below it, when stderr is a terminal.
 *
 * When both go to the same terminal, the status line sits on the row after the text: before text is
 * written the status row is cleared and the cursor put back where the text ended (its column is
 * tracked), and after it the status is drawn again below. Counting columns assumes one column a
 * character (wide CJK or emoji characters shift the cursor; tabs are rounded to 8). When stdout is a
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
    for (const char of text) {
      if (char === '\n' || char === '\r') this.#column = 0;
      else if (char === '\t') this.#column = (this.#column + 8) & ~7;
      else this.#column++;
    }
    this.#show();
  }

  /** Replaces the status text (shortened to the terminal's width). */
  set(status: string): void {
    if (!this.#enabled) return;
    const width = this.#width();
    this.#status = status.length >= width ? `${status.slice(0, width - 2)}…` : status;
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
      // At the start of a row (after a newline, or wrapped exactly at the edge) the status takes
      // that row; otherwise the row below.
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
    const column = this.#column % this.#width();
    // Text that filled its row exactly continues on the next one: the status row, now cleared.
    if (column === 0) this.#streams.stderr.write(CLEAR_LINE);
    else this.#streams.stderr.write(`${CLEAR_LINE}${up(1)}${toColumn(column + 1)}`);
  }
}
