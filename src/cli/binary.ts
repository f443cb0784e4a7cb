/**
 * What the discrete commands (`hopfield`, `rbm`, `ising`) share: rows of bits or spins read from a CSV
 * file, checked against their domain with the file's line in the message; lists of numbers and ranges
 * given as flag text; and a picture written atomically as PNG.
 *
 * @module
 */
import { writeAtomically } from '../io/index.js'
import * as viz from '../viz/index.js'
import { UsageError } from './command.js'
import { parseNumericCsv, readText } from './csv.js'

/** The values a file's rows may hold: spins (±1, or 0/1 read as −1/+1) or numbers in [0, 1]. */
export type RowDomain = 'spins' | 'unit interval'

const accepts: Readonly<Record<RowDomain, { readonly ok: (x: number) => boolean; readonly expected: string }>> = {
  spins: { ok: (x) => x === 1 || x === -1 || x === 0, expected: 'spins (−1 or +1, or bits 0 or 1)' },
  'unit interval': { ok: (x) => x >= 0 && x <= 1, expected: 'values in [0, 1]' },
}

/**
 * The rows of a CSV file (no header), all of one length, every value in `domain`; spins written as bits
 * are turned into ±1. A bad value or a row of another length is a bad input naming the flag, the file and
 * the line.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkRows } from './binary.js'
 * assert.deepEqual(checkRows('1,0,1\n0,0,1\n', 'p.csv', '--data', 'spins').map((r) => [...r]), [[1, -1, 1], [-1, -1, 1]])
 * assert.throws(() => checkRows('1,0,1\n0,1\n', 'p.csv', '--data', 'spins'), { name: 'UsageError', message: '--data: p.csv:2: expected 3 numbers (as the first row), got "0,1"' })
 * assert.throws(() => checkRows('0.5,2\n', 'd.csv', '--data', 'unit interval'), { message: '--data: d.csv:1: expected values in [0, 1], got 2 in column 2' })
 */
export const checkRows = (text: string, file: string, flag: string, domain: RowDomain): Float64Array[] => {
  let csv
  try {
    csv = parseNumericCsv(text, file)
  } catch (e) {
    throw e instanceof UsageError ? new UsageError(`${flag}: ${e.message}`) : e
  }
  if (csv.header !== null) throw new UsageError(`${flag}: ${file}: expected rows of numbers without a header, got the line ${JSON.stringify(csv.header.join(','))}`)
  if (csv.rows.length === 0) throw new UsageError(`${flag}: ${file}: expected at least one row of numbers, got none`)
  const { ok, expected } = accepts[domain]
  csv.rows.forEach((row, r) => {
    const k = row.findIndex((x) => !ok(x))
    if (k >= 0) throw new UsageError(`${flag}: ${file}:${csv.lines[r]}: expected ${expected}, got ${row[k]} in column ${k + 1}`)
  })
  return domain === 'spins' ? csv.rows.map((row) => row.map((x) => (x === 0 ? -1 : x))) : [...csv.rows]
}

/** {@link checkRows} of the file `path` (relative to `cwd`). */
export const readRows = async (path: string, cwd: string, flag: string, domain: RowDomain): Promise<Float64Array[]> => checkRows(await readText(path, cwd, flag), path, flag, domain)

/**
 * The width of images of `length` cells: the flag's value when given (it must divide the length), else
 * the side of a square, else the largest divisor below √length (the images as wide as they can be while
 * no wider than tall).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { imageWidth } from './binary.js'
 * assert.equal(imageWidth(64, undefined, '--width'), 8)
 * assert.equal(imageWidth(200, undefined, '--width'), 10)
 * assert.equal(imageWidth(12, 4, '--width'), 4)
 * assert.throws(() => imageWidth(12, 5, '--width'), { message: "--width: expected a width that divides the rows' 12 values, got 5" })
 */
export const imageWidth = (length: number, width: number | undefined, flag: string): number => {
  if (width !== undefined) {
    if (length % width !== 0) throw new UsageError(`${flag}: expected a width that divides the rows' ${length} values, got ${width}`)
    return width
  }
  let side = Math.floor(Math.sqrt(length))
  while (length % side !== 0) side--
  return side
}

/**
 * Numbers from a flag's text: `a:b:step` for a range (both ends included, to within rounding) or a
 * comma-separated list.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { numberList } from './binary.js'
 * assert.deepEqual(numberList('2.0:2.2:0.1', '--scan'), [2, 2.1, 2.2])
 * assert.deepEqual(numberList('8,16', '--sizes'), [8, 16])
 * assert.throws(() => numberList('2.6:2.0:0.1', '--scan'), { message: '--scan: expected a list a,b,… or a range from:to:step with from ≤ to and step > 0, got "2.6:2.0:0.1"' })
 */
export const numberList = (text: string, flag: string): number[] => {
  const bad = () => new UsageError(`${flag}: expected a list a,b,… or a range from:to:step with from ≤ to and step > 0, got ${JSON.stringify(text)}`)
  const fields = text.split(text.includes(':') ? ':' : ',').map((f) => (f.trim() === '' ? NaN : Number(f)))
  if (fields.some((x) => !Number.isFinite(x))) throw bad()
  if (!text.includes(':')) return fields
  const [from, to, step] = fields
  if (fields.length !== 3 || !(from <= to) || !(step > 0) || (to - from) / step > 10_000) throw bad()
  const n = Math.floor((to - from) / step + 1e-9)
  return Array.from({ length: n + 1 }, (_v, k) => Number((from + k * step).toFixed(12)))
}

/** Renders a panel and writes it as PNG to `path`, atomically. */
export const writePicture = (path: string, panel: viz.Panel, size?: viz.Size): Promise<void> => writeAtomically(path, viz.png(viz.render(panel, size)))

/**
 * The most numbers a command holds in one array (couplings, weights, lattices, kept draws, a batch of
 * records, a memory of them): 2²⁴, 128 MiB of float64 (and their CSV text well under V8's longest
 * string), so that a flag's typo is refused before it exhausts the memory.
 */
export const maxValues = 2 ** 24

/**
 * Refuses a size whose array would pass {@link maxValues}: `count` values, the flag's value being
 * `value`, and `what` saying what the array is.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { withinMemory } from './binary.js'
 * assert.doesNotThrow(() => withinMemory(1000 * 1000, 1000, '--size', 'N² couplings'))
 * assert.throws(() => withinMemory(10 ** 10, 10 ** 5, '--size', 'N² couplings'), { name: 'UsageError', message: '--size: expected a size whose N² couplings are at most 16,777,216 values, got 100000 (10,000,000,000 values)' })
 */
export const withinMemory = (count: number, value: number, flag: string, what: string): void => {
  if (count > maxValues) throw new UsageError(`${flag}: expected a size whose ${what} are at most ${maxValues.toLocaleString('en')} values, got ${value} (${count.toLocaleString('en')} values)`)
}
