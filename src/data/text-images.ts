/**
 * Images as text: small pictures (digits, letters, RBM samples, Hopfield states) printed in a terminal,
 * side by side in rows of a grid, each pixel one character of ' ░▒▓█' by its intensity.
 *
 * @module
 */
import { integer, numbers, object, options as checkOptions, positiveInteger, rangeError } from '../check/index.js'

/** Options of {@link textImages}. */
export interface TextImagesOptions {
  readonly width: number
  readonly height: number
  /** Images per row of the grid (default 10). */
  readonly columns?: number
  /** The value drawn white ('█'); default 1. Values at or below `low` (default 0; −1 for spins) are blank. */
  readonly low?: number
  readonly high?: number
}

const shades = ' ░▒▓█'

/**
 * Row-major images (each width × height values) as a text grid, `columns` images a row, two spaces
 * between them. Each pixel is one of five shades, its value's place between `low` and `high`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { textImages } from './text-images.js'
 * const two = [1, 0, 0, 1, 0.5, 0.5, 0.5, 0.5] // two 2 × 2 images
 * assert.equal(textImages(two, { width: 2, height: 2 }), '█   ▒▒\n █  ▒▒')
 * assert.equal(textImages([1, -1, -1, 1], { width: 2, height: 2, low: -1 }), '█ \n █')
 */
export const textImages = (values: ArrayLike<number>, options: TextImagesOptions): string => {
  const where = 'data.textImages'
  const o = checkOptions<TextImagesOptions>(object(options, `${where}: options`), `${where}: options`, ['width', 'height', 'columns', 'low', 'high'])
  const width = positiveInteger(o.width, `${where}: width`)
  const height = positiveInteger(o.height, `${where}: height`)
  const columns = integer(o.columns ?? 10, `${where}: columns`, { min: 1 })
  const [low, high] = [o.low ?? 0, o.high ?? 1]
  if (!(high > low)) throw rangeError(`${where}: high`, `a number above low = ${low}`, high)
  const x = numbers(values, `${where}: values`)
  const size = width * height
  if (x.length === 0 || x.length % size !== 0) throw rangeError(`${where}: values`, `a multiple of ${size} values (images of ${width} × ${height})`, x.length)
  const count = x.length / size
  const shade = (v: number): string => shades[Math.max(0, Math.min(4, Math.round(((v - low) / (high - low)) * 4)))]
  const lines: string[] = []
  for (let first = 0; first < count; first += columns) {
    for (let r = 0; r < height; r++) {
      const parts: string[] = []
      for (let k = first; k < Math.min(count, first + columns); k++) {
        let line = ''
        for (let c = 0; c < width; c++) line += shade(x[k * size + r * width + c])
        parts.push(line)
      }
      lines.push(parts.join('  '))
    }
    if (first + columns < count) lines.push('')
  }
  return lines.join('\n')
}
