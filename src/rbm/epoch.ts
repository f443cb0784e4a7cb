/**
 * The reference of the fused RBM epoch (native/rbm.cc's twin, operation for operation, so the two agree
 * bit for bit): per minibatch the positive phase h₊ = σ(v₊W + b), k block-Gibbs steps of the chains (PCD:
 * v | h then h | v from the persistent h; CD: h | v then v | h from the batch), and scikit-learn's SGD
 * rule W += (lr/R)·v₊ᵀh₊ − (lr/C)·v₋ᵀh₋ with the negatives' hidden means h₋ = σ(v₋W + b). Gibbs step t
 * of chain c takes uniforms t·(V+H) … t·(V+H) + V+H − 1 of stream c, the first class drawn first.
 *
 * @module
 */
import { exp, permutation, uniforms } from '../rng/index.js'

/** One fit's sizes and rule (already checked). */
export interface EpochConfig {
  readonly N: number
  readonly V: number
  readonly H: number
  readonly batch: number
  readonly chains: number
  readonly k: number
  readonly persistent: boolean
  readonly lr: number
  readonly seed: number
}

/** The parameters and the persistent chains' h, updated in place. */
export interface EpochState {
  readonly W: Float64Array
  readonly a: Float64Array
  readonly b: Float64Array
  readonly chains: Float64Array
}

// f[at + j] ← σ(f[at + j] + bias[j]).
const sigmoids = (f: Float64Array, at: number, bias: Float64Array, n: number): void => {
  for (let j = 0; j < n; j++) f[at + j] = 1 / (1 + exp(-(f[at + j] + bias[j])))
}

// out[r·m + j] = σ(Σ_i x[r·n + i]·M(i, j) + bias[j]), sums over i in order, zero units skipped; M(i, j) is
// W[i·rowStride + j·columnStride] (W itself for the hidden means, Wᵀ for the visible ones).
const means = (W: Float64Array, rowStride: number, columnStride: number, bias: Float64Array, x: Float64Array, R: number, n: number, m: number, out: Float64Array): void => {
  out.fill(0, 0, R * m)
  for (let i = 0; i < n; i++)
    for (let r = 0; r < R; r++) {
      const xi = x[r * n + i]
      if (xi === 0) continue
      for (let j = 0; j < m; j++) out[r * m + j] += W[i * rowStride + j * columnStride] * xi
    }
  for (let r = 0; r < R; r++) sigmoids(out, r * m, bias, m)
}
const hiddenMeans = (s: EpochState, c: EpochConfig, v: Float64Array, R: number, out: Float64Array): void => means(s.W, c.H, 1, s.b, v, R, c.V, c.H, out)
const visibleMeans = (s: EpochState, c: EpochConfig, h: Float64Array, R: number, out: Float64Array): void => means(s.W, 1, c.H, s.a, h, R, c.H, c.V, out)

// Heat-bath draws: x = 1 where u < p (row r's uniforms from u[r·stride + offset]).
const draw = (p: Float64Array, u: Float64Array, offset: number, stride: number, R: number, n: number, x: Float64Array): void => {
  for (let r = 0; r < R; r++) for (let j = 0; j < n; j++) x[r * n + j] = u[r * stride + offset + j] < p[r * n + j] ? 1 : 0
}

// SGD on the minibatch's gradient; returns Σ_i (mean v₊ − mean v₋)².
const update = (s: EpochState, c: EpochConfig, vp: Float64Array, hp: Float64Array, R: number, vn: Float64Array, hn: Float64Array, C: number): number => {
  const { V, H } = c
  const sp = c.lr / R
  const sn = c.lr / C
  let gap = 0
  for (let i = 0; i < V; i++) {
    let pv = 0
    let nv = 0
    for (let r = 0; r < R; r++) {
      const x = vp[r * V + i]
      pv += x
      if (x === 0) continue
      const m = sp * x
      for (let j = 0; j < H; j++) s.W[i * H + j] += m * hp[r * H + j]
    }
    for (let r = 0; r < C; r++) {
      const x = vn[r * V + i]
      nv += x
      if (x === 0) continue
      const m = sn * x
      for (let j = 0; j < H; j++) s.W[i * H + j] -= m * hn[r * H + j]
    }
    s.a[i] += sp * pv - sn * nv
    const d = pv / R - nv / C
    gap += d * d
  }
  for (let j = 0; j < H; j++) {
    let ph = 0
    let nh = 0
    for (let r = 0; r < R; r++) ph += hp[r * H + j]
    for (let r = 0; r < C; r++) nh += hn[r * H + j]
    s.b[j] += sp * ph - sn * nh
  }
  return gap
}

/** The scratch of a fit: minibatch rows, means, samples and uniforms. */
const scratch = (c: EpochConfig) => {
  const rows = Math.max(c.batch, c.chains)
  return {
    vpos: new Float64Array(c.batch * c.V),
    hpos: new Float64Array(c.batch * c.H),
    vneg: new Float64Array(rows * c.V),
    hneg: new Float64Array(rows * c.H),
    hprob: new Float64Array(rows * c.H),
    vprob: new Float64Array(rows * c.V),
    u: new Float64Array(rows * (c.V + c.H)),
  }
}
type Scratch = ReturnType<typeof scratch>

// The uniforms of Gibbs step t for chains 0 … C − 1.
const stepUniforms = (c: EpochConfig, C: number, t: number, u: Float64Array): void => {
  const n = c.V + c.H
  for (let ch = 0; ch < C; ch++) uniforms(c.seed, ch, t * n, n, u.subarray(ch * n, (ch + 1) * n))
}

// One minibatch of R rows (in x.vpos); returns its squared visible gap and the next Gibbs step.
const minibatch = (c: EpochConfig, s: EpochState, x: Scratch, R: number, t: number): { gap: number; t: number } => {
  const { V, H } = c
  const n = V + H
  hiddenMeans(s, c, x.vpos, R, x.hpos)
  const C = c.persistent ? c.chains : R
  if (c.persistent) {
    for (let step = 0; step < c.k; step++, t++) {
      stepUniforms(c, C, t, x.u)
      visibleMeans(s, c, s.chains, C, x.vprob)
      draw(x.vprob, x.u, 0, n, C, V, x.vneg)
      hiddenMeans(s, c, x.vneg, C, x.hprob)
      draw(x.hprob, x.u, V, n, C, H, s.chains)
    }
  } else {
    x.vneg.set(x.vpos.subarray(0, R * V))
    for (let step = 0; step < c.k; step++, t++) {
      stepUniforms(c, C, t, x.u)
      if (step === 0) x.hprob.set(x.hpos.subarray(0, R * H))
      else hiddenMeans(s, c, x.vneg, C, x.hprob)
      draw(x.hprob, x.u, 0, n, C, H, x.hneg)
      visibleMeans(s, c, x.hneg, C, x.vprob)
      draw(x.vprob, x.u, H, n, C, V, x.vneg)
    }
    hiddenMeans(s, c, x.vneg, C, x.hprob)
  }
  return { gap: update(s, c, x.vpos, x.hpos, R, x.vneg, x.hprob, C), t }
}

/**
 * Epoch e's minibatch order: a Philox permutation of the N rows from uniforms e·N … of stream 2^40, which no
 * chain uses (native/rbm.cc draws the same).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { epochOrder } from './epoch.js'
 * assert.deepEqual([...epochOrder(5, 0, 1)].sort(), [0, 1, 2, 3, 4])
 */
export const epochOrder = (N: number, e: number, seed: number): Uint32Array => Uint32Array.from(permutation(N, uniforms(seed, 2 ** 40, e * N, N)))

/**
 * Epochs from … to − 1 by the reference (all of them by default): epoch e visits the rows in
 * epochOrder(N, e, seed), in minibatches of `batch` (the last one shorter); stats[e] is the mean over its
 * minibatches of Σ_i (mean v₊ − mean v₋)² / V. Epochs run in pieces give the same numbers as in one go.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { referenceEpochs } from './epoch.js'
 * const s = { W: new Float64Array(2), a: new Float64Array(2), b: new Float64Array(1), chains: new Float64Array(2) }
 * const stats = new Float64Array(1)
 * referenceEpochs({ N: 2, V: 2, H: 1, batch: 2, chains: 2, k: 1, persistent: true, lr: 0.1, seed: 1 }, Float64Array.of(1, 0, 0, 1), s, stats)
 * assert.ok(stats[0] >= 0 && stats[0] <= 1)
 */
export const referenceEpochs = (c: EpochConfig, data: Float64Array, s: EpochState, stats: Float64Array, from = 0, to = stats.length): void => {
  const x = scratch(c)
  // Gibbs step t's draws: every epoch takes k steps per minibatch.
  let t = from * Math.ceil(c.N / c.batch) * c.k
  for (let e = from; e < to; e++) {
    const order = epochOrder(c.N, e, c.seed)
    let gap = 0
    let batches = 0
    for (let start = 0; start < c.N; start += c.batch, batches++) {
      const R = Math.min(c.batch, c.N - start)
      for (let r = 0; r < R; r++) x.vpos.set(data.subarray(order[start + r] * c.V, (order[start + r] + 1) * c.V), r * c.V)
      const m = minibatch(c, s, x, R, t)
      gap += m.gap
      t = m.t
    }
    stats[e] = gap / batches / c.V
  }
}
