/**
 * Bytes into lines and lines into reads, for the sources that carry one record a line (a Readable, a
 * tailed file): each line with its number and byte offsets, the format's parse, a CSV header, and a bound
 * on a line's length so that a stream without newlines cannot fill memory.
 *
 * @module
 */
import { integer, oneOf, rangeError, typeError } from '../../check/index.js'
import { csvLine, csvRecord, jsonLine, type LineFormat } from '../../io/lines.js'
import type { Read } from './record.js'

/** Where a line is: its number (from 1) and the byte offsets of its start and of just after its newline. */
export interface LinePosition {
  readonly line: number
  readonly offset: number
  /** Where the next line starts: the offset to resume from. */
  readonly end: number
}

/** A line cut from the bytes, without its newline (nor a carriage return before it). */
export interface Line extends LinePosition {
  readonly text: string
  /** The line's length in bytes when it was longer than allowed (its text is then empty), else 0. */
  readonly overlong: number
}

/** The options of a source of lines. */
export interface LineOptions {
  /** 'jsonl': a JSON value a line; 'csv': a row of fields a line. */
  readonly format: LineFormat
  /**
   * CSV only: `true` reads the names of the columns from the first line, an array gives them, `false`
   * (the default) has none. With names a row is a record of them (decoded by `io.records.row` or
   * `fields`); without, an array of fields (`io.records.vector`).
   */
  readonly header?: boolean | readonly string[]
  /** The longest line, in bytes (default 1 MiB): a longer one goes to the dead letters, unread. */
  readonly maxLineBytes?: number
}

/** The option names of {@link LineOptions}. */
export const lineOptionNames = ['format', 'header', 'maxLineBytes'] as const

/** Line options checked, with their defaults. */
export const checkLineOptions = (o: Partial<LineOptions>, where: string): Required<LineOptions> => {
  const format = oneOf(o.format, `${where}: options.format`, ['jsonl', 'csv'] as const)
  const header = o.header ?? false
  if (typeof header !== 'boolean' && !(Array.isArray(header) && header.length > 0 && header.every((h) => typeof h === 'string'))) {
    throw typeError(`${where}: options.header`, 'true, false or a non-empty array of column names', header)
  }
  if (format === 'jsonl' && header !== false) throw rangeError(`${where}: options.header`, 'false (JSON lines have no header)', header)
  return { format, header, maxLineBytes: integer(o.maxLineBytes ?? 2 ** 20, `${where}: options.maxLineBytes`, { min: 1 }) }
}

/** Cuts bytes into lines, numbering them from `from.line` at byte `from.offset`. */
export interface LineSplitter {
  /** The complete lines the chunk ends (a line split across chunks is joined). */
  readonly push: (chunk: Uint8Array) => Line[]
  /** The last line when the bytes end without a newline after it; empty otherwise. */
  readonly flush: () => Line[]
  /** Where the line being cut starts: the position of the next line. */
  readonly next: () => { readonly line: number; readonly offset: number }
}

/** A line splitter from a position, with lines of at most `maxLineBytes`. */
export const lineSplitter = (from: { readonly line: number; readonly offset: number }, maxLineBytes: number): LineSplitter => {
  let parts: Buffer[] = []
  let length = 0
  let line = from.line
  let offset = from.offset
  const cut = (end: number): Line => {
    const overlong = length > maxLineBytes ? length : 0
    const text = overlong > 0 ? '' : Buffer.concat(parts, length).toString('utf8').replace(/\r$/, '')
    const l: Line = { text, line, offset, end, overlong }
    parts = []
    length = 0
    line++
    offset = end
    return l
  }
  // A part is copied, since a reader may reuse its buffer; an overlong line keeps only its length.
  const add = (part: Uint8Array): void => {
    length += part.length
    if (length <= maxLineBytes) parts.push(Buffer.from(part))
    else parts = []
  }
  return {
    push: (chunk) => {
      const lines: Line[] = []
      let start = 0
      const base = offset + length
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        add(chunk.subarray(start, nl))
        lines.push(cut(base + nl + 1))
        start = nl + 1
      }
      add(chunk.subarray(start))
      return lines
    },
    flush: () => (length > 0 ? [cut(offset + length)] : []),
    next: () => ({ line, offset }),
  }
}

/**
 * Reads of lines in a format: blank lines are skipped; with `header: true` the first line that is not
 * blank names the columns; a line that cannot be parsed, or is too long, is a rejection. `position` turns
 * a line's place into the source's position.
 */
export const lineReads = <P>(o: Required<LineOptions>, position: (l: Line) => P): ((l: Line) => Read<P, never> | undefined) => {
  let names = Array.isArray(o.header) ? (o.header as readonly string[]) : undefined
  let wantsHeader = o.header === true
  return (l) => {
    if (l.overlong === 0 && l.text.trim() === '') return undefined
    if (wantsHeader && l.overlong === 0) {
      const r = csvLine(l.text)
      if ('value' in r) {
        names = r.value.map((n) => n.trim())
        wantsHeader = false
        return undefined
      }
    }
    const read =
      l.overlong > 0
        ? { path: '', reason: `expected a line of at most ${o.maxLineBytes} bytes, got one of ${l.overlong}` }
        : o.format === 'jsonl'
          ? jsonLine(l.text)
          : names === undefined
            ? csvLine(l.text)
            : csvRecord(names, l.text)
    return { read, raw: l.text, position: position(l) }
  }
}
