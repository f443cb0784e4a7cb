// Seeded draws for the statistical tests, from the project's Philox streams (stream 0 of each seed).
import { normals as philoxNormals } from '../../src/rng/index.js'

/** n standard normal draws from a seed. */
export const normals = (seed: number, n: number): Float64Array => philoxNormals(seed, 0, 0, n)

/** An AR(1) chain x_t = φ x_{t−1} + √(1 − φ²) ε_t started at stationarity. */
export const autoregressive = (seed: number, n: number, phi: number): Float64Array => {
  const e = normals(seed, n)
  const out = new Float64Array(n)
  out[0] = e[0]
  const s = Math.sqrt(1 - phi * phi)
  for (let i = 1; i < n; i++) out[i] = phi * out[i - 1] + s * e[i]
  return out
}
