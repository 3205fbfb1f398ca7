import stringWidth from 'string-width';

/** One user-perceived character (an emoji with its modifiers, a flag, a letter with its accents). */
export interface Cell {
  readonly text: string;
  /** Columns a terminal gives it: 2 for wide CJK and emoji, 0 for marks and controls, 1 otherwise. */
  readonly columns: number;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The characters of `text` with their widths. Split by grapheme, never by UTF-16 unit or code point:
 * cutting inside a family emoji or a flag would leave half of it, with a width nobody can predict.
 */
export function* cellsOf(text: string): Generator<Cell> {
  for (const { segment } of graphemes.segment(text)) yield { text: segment, columns: stringWidth(segment) };
}

/** `text` shortened to at most `max` columns, ending with "…" when it was cut. */
export function fitColumns(text: string, max: number): string {
  if (stringWidth(text) <= max) return text;
  let fitted = '';
  let used = 0;
  for (const cell of cellsOf(text)) {
    // One column is kept for the ellipsis.
    if (used + cell.columns > max - 1) break;
    fitted += cell.text;
    used += cell.columns;
  }
  return `${fitted}…`;
}

/** Controls (newline, escape, ...) replaced by U+FFFD: in a one-row status they would move the cursor. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
}
