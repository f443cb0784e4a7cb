/**
 * A radix-2 fast Fourier transform, enough for autocovariances of any length by zero padding.
 *
 * @module
 */

/**
 * The smallest power of two that is at least n.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { nextPowerOfTwo } from './fft.js'
 * assert.equal(nextPowerOfTwo(1000), 1024)
 */
export const nextPowerOfTwo = (n: number): number => {
  let m = 1
  while (m < n) m *= 2
  return m
}

/**
 * Replaces (re, im) by its discrete Fourier transform Σ_k x_k e^{−2πi jk/n}, in place; the length must be
 * a power of two. Twiddle factors are computed directly (not by recurrence) so rounding does not grow
 * with the length.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { fft } from './fft.js'
 * const re = new Float64Array([1, 0, 0, 0])
 * const im = new Float64Array(4)
 * fft(re, im) // the transform of an impulse is flat
 * assert.deepEqual(re, new Float64Array([1, 1, 1, 1]))
 * assert.deepEqual(im, new Float64Array(4))
 */
export const fft = (re: Float64Array, im: Float64Array): void => {
  const n = re.length
  if ((n & (n - 1)) !== 0 || im.length !== n) throw new RangeError(`fft: expected two arrays of one power-of-two length, got lengths ${re.length} and ${im.length}`)
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1
    for (; j & bit; bit >>= 1) j ^= bit
    j ^= bit
    if (i < j) {
      ;[re[i], re[j]] = [re[j], re[i]]
      ;[im[i], im[j]] = [im[j], im[i]]
    }
  }
  const cos = new Float64Array(n / 2)
  const sin = new Float64Array(n / 2)
  for (let k = 0; k < n / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n)
    sin[k] = -Math.sin((2 * Math.PI * k) / n)
  }
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2
    const stride = n / size
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * stride]
        const wi = sin[k * stride]
        const a = start + k
        const b = a + half
        const tr = re[b] * wr - im[b] * wi
        const ti = re[b] * wi + im[b] * wr
        re[b] = re[a] - tr
        im[b] = im[a] - ti
        re[a] += tr
        im[a] += ti
      }
    }
  }
}
