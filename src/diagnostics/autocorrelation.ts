/**
 * Autocovariance and autocorrelation of chains, by FFT.
 *
 * @module
 */
import { checkDraws, mean, variance, type Draws } from './draws.js'
import { fft, nextPowerOfTwo } from './fft.js'

/**
 * The autocovariances of one chain at lags 0 … n − 1, with the "biased" 1/n normalisation Geyer (1992)
 * recommends (as posterior's `autocovariance`). A constant chain has all autocovariances 0.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { autocovariance } from './autocorrelation.js'
 * assert.equal(autocovariance(new Float64Array([1, 2, 3, 4]))[0], 1.25)
 */
export const autocovariance = (chain: Float64Array): Float64Array => {
  const n = chain.length
  const v = variance(chain)
  if (v === 0) return new Float64Array(n)
  // Padding to at least 2n makes the circular correlation equal the linear one for lags below n;
  // posterior pads to 2·nextn(n) instead, which changes only rounding.
  const m = nextPowerOfTwo(2 * n)
  const re = new Float64Array(m)
  const im = new Float64Array(m)
  const mu = mean(chain)
  for (let i = 0; i < n; i++) re[i] = chain[i] - mu
  fft(re, im)
  for (let i = 0; i < m; i++) {
    re[i] = re[i] * re[i] + im[i] * im[i]
    im[i] = 0
  }
  // The power spectrum is real and even, so the forward transform equals the inverse up to scale,
  // and the scale cancels in the normalisation below.
  fft(re, im)
  const scale = (v * (n - 1)) / n / re[0]
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = re[i] * scale
  return out
}

/**
 * The autocorrelation function of every chain at lags 0 … n − 1 (FFT based, as ArviZ's `autocorr` and
 * posterior's `autocorrelation`): ρ_k = γ_k / γ_0 with γ the biased autocovariance. A constant chain
 * has no defined autocorrelation: its values are NaN.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * const [rho] = diagnostics.autocorrelation([[1, 2, 3, 4, 5, 6, 7, 8]])
 * assert.equal(rho[0], 1)
 */
export const autocorrelation = (draws: Draws): Float64Array[] =>
  checkDraws('autocorrelation', draws).map((chain) => {
    const gamma = autocovariance(chain)
    return gamma.map((g) => g / gamma[0])
  })
