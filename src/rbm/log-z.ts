/**
 * The exact log partition function of an RBM, by enumerating its smaller layer: for binary hidden units
 * Z = Σ_h exp(bᵀh) Πᵢ (1 + exp(aᵢ + (Wh)ᵢ)) (Bernoulli visible units) or
 * Z = Σ_h exp(bᵀh + Σᵢ (aᵢcᵢ/σ + cᵢ²/2)) · (√(2π)·σ)^visible with c = Wh (Gaussian ones); for binary
 * visible units, Z = Σ_v exp(−F(v)). The 2^K terms are visited in Gray-code order, so each differs from
 * the last by one unit and its sums are updated in O(other layer), not recomputed.
 *
 * @module
 */
import { type Energy, type Params } from '../energy/energy.js'
import { checkParams, layersOf, softplus } from './model.js'

/** The most units enumerated: 2²⁴ terms. */
export const maxEnumerated = 24

// log Σ over the 2^K states s of the enumerated layer of [biasᵀs + Σₘ term(accₘ)], acc = offset + Σ selected
// columns of `coupling` (column k of layer unit k at coupling[m·stride + k·step]).
const enumerate = (K: number, M: number, bias: Float64Array, offset: Float64Array, column: (k: number, m: number) => number, term: (acc: number, m: number) => number): number => {
  const acc = Float64Array.from(offset)
  let linear = 0
  const state = new Uint8Array(K)
  const value = (): number => {
    let t = linear
    for (let m = 0; m < M; m++) t += term(acc[m], m)
    return t
  }
  let max = value()
  let sum = 1
  for (let g = 1; g < 2 ** K; g++) {
    // Gray code: step g flips the unit of g's lowest set bit.
    const k = Math.log2(g & -g)
    const sign = state[k] === 0 ? 1 : -1
    state[k] ^= 1
    linear += sign * bias[k]
    for (let m = 0; m < M; m++) acc[m] += sign * column(k, m)
    const t = value()
    if (t > max) {
      sum = sum * Math.exp(max - t) + 1
      max = t
    } else sum += Math.exp(t - max)
  }
  return max + Math.log(sum)
}

/**
 * log Z of an RBM at the given parameters, exactly, by enumerating its smaller binary layer (at most 24
 * units; Gaussian visible units are integrated out, so only the hidden layer counts for them).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { bernoulli } from './model.js'
 * import { logZ } from './log-z.js'
 * // One visible and one hidden unit: Z = Σ_{v,h} exp(wvh + av + bh) = 1 + eᵃ + eᵇ + e^(w+a+b)
 * const p = { W: new Float64Array([0.7]), a: new Float64Array([-0.3]), b: new Float64Array([0.2]) }
 * const want = Math.log(1 + Math.exp(-0.3) + Math.exp(0.2) + Math.exp(0.6))
 * assert.ok(Math.abs(logZ(bernoulli({ visible: 1, hidden: 1 }), p) - want) < 1e-15)
 * assert.throws(() => logZ(bernoulli({ visible: 30, hidden: 25 }), { W: new Float64Array(750), a: new Float64Array(30), b: new Float64Array(25) }), { message: 'rbm.logZ: energy: expected an RBM with at most 24 units in its smaller layer (2^24 terms), got 30 visible and 25 hidden units' })
 */
export const logZ = (e: Energy, params: Params): number => {
  const l = layersOf(e, 'rbm.logZ: energy')
  const { W, a, b } = checkParams(l, params, 'rbm.logZ: params')
  const { visible: V, hidden: H, sigma } = l
  const gaussian = l.units === 'gaussianBernoulli'
  const smaller = gaussian ? H : Math.min(V, H)
  if (smaller > maxEnumerated) {
    throw new RangeError(`rbm.logZ: energy: expected an RBM with at most ${maxEnumerated} units in its ${gaussian ? 'hidden' : 'smaller'} layer (2^${maxEnumerated} terms), got ${V} visible and ${H} hidden units`)
  }
  if (gaussian) {
    const sum = enumerate(H, V, b, new Float64Array(V), (k, m) => W[m * H + k], (c, m) => (a[m] * c) / sigma + (c * c) / 2)
    return sum + V * Math.log(Math.sqrt(2 * Math.PI) * sigma)
  }
  return H <= V
    ? enumerate(H, V, b, a, (k, m) => W[m * H + k], softplus)
    : enumerate(V, H, a, b, (k, m) => W[k * H + m], softplus)
}
