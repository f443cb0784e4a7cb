/**
 * Numbers in CSV, as CmdStan writes them and as data files usually are: lines starting with `#` are
 * comments, blank lines are skipped, fields are separated by commas, and a first line that is not all
 * numbers is the header. Errors name the file and the line.
 *
 * @module
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { UsageError } from './command.js'

/** Numeric rows with their header and the line each came from. */
export interface NumericCsv {
  /** The column names, or null when the first line was already numbers. */
  readonly header: readonly string[] | null
  readonly rows: readonly Float64Array[]
  /** The 1-based line number of each row, for messages. */
  readonly lines: readonly number[]
}

const special: Readonly<Record<string, number>> = { inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity, nan: NaN }

/**
 * A field as a number, or undefined when it is not one. CmdStan's `inf`, `-inf` and `nan` are numbers
 * (non-finite ones, refused later where a finite one is needed).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { numberOf } from './csv.js'
 * assert.equal(numberOf(' -1.5e-3 '), -0.0015)
 * assert.equal(numberOf('-inf'), -Infinity)
 * assert.equal(numberOf('theta'), undefined)
 * assert.equal(numberOf(''), undefined)
 */
export const numberOf = (field: string): number | undefined => {
  const f = field.trim()
  if (f === '') return undefined
  const s = special[f.toLowerCase()]
  if (s !== undefined) return s
  const x = Number(f)
  return Number.isNaN(x) ? undefined : x
}

/** The numbers of a line, or the first field that is not a number. */
export const fieldsOf = (line: string): { readonly values: number[] } | { readonly bad: string } => {
  const fields = line.split(',')
  const values: number[] = []
  for (const f of fields) {
    const x = numberOf(f)
    if (x === undefined) return { bad: f.trim() }
    values.push(x)
  }
  return { values }
}

/** Whether a line holds nothing to read: blank, or a comment. */
export const isSkipped = (line: string): boolean => {
  const s = line.trim()
  return s === '' || s.startsWith('#')
}

/**
 * Parses CSV text of numbers. The first line that is not a comment is a header when any of its fields
 * is not a number (`header: 'required'` insists on one, as CmdStan always writes it); every other line
 * must have as many numbers as the first row or the header.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { parseNumericCsv } from './csv.js'
 * const csv = parseNumericCsv('# a comment\nlp__,theta\n-7.1,0.2\n\n-6.9,0.3\n', 'bern1.csv')
 * assert.deepEqual(csv.header, ['lp__', 'theta'])
 * assert.deepEqual(csv.rows.map((r) => Array.from(r)), [[-7.1, 0.2], [-6.9, 0.3]])
 * assert.deepEqual(csv.lines, [3, 5])
 * assert.throws(() => parseNumericCsv('x,y\n1,2\n3,oops\n', 'points.csv'), { message: 'points.csv:3: expected 2 numbers (the columns x, y), got "3,oops"' })
 */
export const parseNumericCsv = (text: string, source: string, options: { readonly header?: 'auto' | 'required' } = {}): NumericCsv => {
  const lines = text.split(/\r?\n/)
  let header: string[] | null = null
  let width = -1
  const rows: Float64Array[] = []
  const at: number[] = []
  lines.forEach((line, i) => {
    if (isSkipped(line)) return
    const parsed = fieldsOf(line)
    if (width < 0 && (options.header === 'required' || 'bad' in parsed)) {
      header = line.split(',').map((f) => f.trim())
      width = header.length
      return
    }
    const columns = header === null ? `${width} numbers (as the first row)` : `${width} numbers (the columns ${shortList(header)})`
    if ('bad' in parsed || (width >= 0 && parsed.values.length !== width)) throw new UsageError(`${source}:${i + 1}: expected ${columns}, got ${JSON.stringify(clip(line))}`)
    width = parsed.values.length
    rows.push(Float64Array.from(parsed.values))
    at.push(i + 1)
  })
  return { header, rows, lines: at }
}

const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s)
/** A list of names, cut after five: `a, b, c, d, e, … (12 in all)`. */
export const shortList = (names: readonly string[]): string => (names.length > 6 ? `${names.slice(0, 5).join(', ')}, … (${names.length} in all)` : names.join(', '))

/**
 * Reads the file `path` (relative to `cwd`) as text; a file that cannot be read is a bad input naming the
 * argument it came from (`where`), the path as given and the reason.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { readText } from './csv.js'
 * await assert.rejects(readText('no/such/draws.csv', '/tmp', '<files>'), { name: 'UsageError', message: '<files>: expected a readable file, got "no/such/draws.csv" (ENOENT)' })
 */
export const readText = async (path: string, cwd: string, where: string): Promise<string> => {
  try {
    return await readFile(resolve(cwd, path), 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message
    throw new UsageError(`${where}: expected a readable file, got ${JSON.stringify(path)} (${code})`)
  }
}
