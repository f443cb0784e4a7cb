/**
 * Bars and stripes (MacKay 2003): n × n binary images in which every column is all on or all off (bars) or
 * every row is (stripes). The classic small data set of RBMs: 2^(n+1) − 2 distinct images (the blank and
 * the full image are both bars and stripes), few enough to compute exact likelihoods on.
 *
 * @module
 */
import { integer, positiveInteger, seed as checkSeed } from '../check/index.js'
import { uniforms } from '../rng/index.js'

const image = (n: number, lines: number, bars: boolean, out: Float64Array, offset: number): void => {
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) out[offset + r * n + c] = (lines >> (bars ? c : r)) & 1
}

/**
 * Bars and stripes of side `size` (2 … 12), row-major images of size² values in {0, 1}. Without `count`,
 * the whole set of 2^(size+1) − 2 distinct images: the bars (column j on when bit j of k is set) for
 * k = 0 … 2^size − 1, then the stripes without the blank and full images. With `count` and `seed`, that
 * many images drawn as MacKay draws them: bars or stripes with probability ½, then every line on with
 * probability ½ (so the blank and full images are twice as likely as the others).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { barsAndStripes } from './bars-and-stripes.js'
 * const all = barsAndStripes({ size: 3 })
 * assert.equal(all.length, 14 * 9) // 2⁴ − 2 images of 3 × 3
 * assert.deepEqual([...all.subarray(9, 18)], [1, 0, 0, 1, 0, 0, 1, 0, 0]) // bars: the first column on
 * assert.equal(barsAndStripes({ size: 4, count: 100, seed: 1 }).length, 1600)
 * assert.throws(() => barsAndStripes({ size: 1 }), { message: 'data.barsAndStripes: size: expected an integer in [2, 12], got 1' })
 */
export const barsAndStripes = (o: { readonly size: number; readonly count?: number; readonly seed?: number }): Float64Array => {
  const where = 'data.barsAndStripes'
  const n = integer(o.size, `${where}: size`, { min: 2, max: 12 })
  const D = n * n
  if (o.count === undefined) {
    const lines = 1 << n
    const out = new Float64Array((2 * lines - 2) * D)
    for (let k = 0; k < lines; k++) image(n, k, true, out, k * D)
    for (let k = 1; k < lines - 1; k++) image(n, k, false, out, (lines + k - 1) * D)
    return out
  }
  const count = positiveInteger(o.count, `${where}: count`)
  const u = uniforms(checkSeed(o.seed, `${where}: seed`), 0, 0, count * (n + 1))
  const out = new Float64Array(count * D)
  for (let i = 0; i < count; i++) {
    let lines = 0
    for (let j = 0; j < n; j++) if (u[i * (n + 1) + 1 + j] < 0.5) lines |= 1 << j
    image(n, lines, u[i * (n + 1)] < 0.5, out, i * D)
  }
  return out
}
