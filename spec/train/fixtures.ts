/**
 * Shared fixtures of the training specs: energies with known minimisers, exact draws, and summary
 * statistics over replications.
 */
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import * as rng from '../../src/rng/index.js'

/** E = ½‖x − θ‖² in D dimensions: N(θ, I), with θ trainable ('theta'). */
export const quadratic = (theta: readonly number[]) => energy.quadratic({ center: [...theta] })

/**
 * The Gaussian E = ½(x − μ)ᵀM(x − μ) with a full precision M = (A + Aᵀ)/2 from a free matrix A: parameters
 * 'A' [D, D] (from the identity) and 'mu' [D] (from 0).
 */
export const fullGaussian = (D: number) =>
  energy.define({
    name: 'fullGaussian',
    shape: [D],
    params: {
      A: { shape: [D, D], init: { kind: 'values', values: Array.from({ length: D * D }, (_v, k) => (k % (D + 1) === 0 ? 1 : 0)) } },
      mu: { shape: [D], init: { kind: 'zeros' } },
    },
    build: (x, p) => {
      const M = ir.mul(ir.add(p.A, ir.transpose(p.A)), 0.5)
      const r = ir.sub(x, p.mu)
      return ir.mul(ir.sum(ir.mul(r, ir.matmul(r, M)), 1), 0.5)
    },
  })

/** E = a·‖x‖²/2 in D dimensions with a trainable ('a', a scalar from 1). */
export const isotropic = (D: number) =>
  energy.define({
    name: 'isotropic',
    shape: [D],
    params: { a: { shape: [], init: { kind: 'constant', value: 1 } } },
    build: (x, p) => ir.mul(ir.sum(ir.square(x), 1), ir.mul(p.a, 0.5)),
  })

/** E = ½·p·(x − m)² in one dimension: parameters 'p' (precision, from 1) and 'm' (from 0). */
export const gaussian1d = () =>
  energy.define({
    name: 'gaussian1d',
    shape: [1],
    params: { p: { shape: [], init: { kind: 'constant', value: 1 } }, m: { shape: [1], init: { kind: 'zeros' } } },
    build: (x, p) => ir.reshape(ir.mul(ir.square(ir.sub(x, p.m)), ir.mul(p.p, 0.5)), [x.shape[0]]),
  })

/** A small smooth MLP on the plane (softplus, so every derivative is smooth), with its seed. */
export const smallMlp = () => energy.mlp({ widths: [2, 6, 1], activation: 'softplus', seed: 3 })

/** n draws of N(mean, L Lᵀ) in D dimensions (L lower-triangular, row-major), from `seed`. */
export const gaussianData = (n: number, mean: readonly number[], L: readonly number[], seed: number): Float64Array => {
  const D = mean.length
  const z = rng.normals(seed, 0, 0, n * D)
  const x = new Float64Array(n * D)
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < D; a++) {
      let s = mean[a]
      for (let b = 0; b <= a; b++) s += L[a * D + b] * z[i * D + b]
      x[i * D + a] = s
    }
  }
  return x
}

/** Mean and Monte Carlo standard error (sd/√n) of independent replications. */
export const meanAndError = (xs: readonly number[]): { mean: number; se: number } => {
  const n = xs.length
  const mean = xs.reduce((s, v) => s + v, 0) / n
  const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)
  return { mean, se: Math.sqrt(variance / n) }
}

/** The column means of n rows of D. */
export const columnMeans = (x: Float64Array, D: number): number[] => {
  const n = x.length / D
  return Array.from({ length: D }, (_v, a) => {
    let s = 0
    for (let i = 0; i < n; i++) s += x[i * D + a]
    return s / n
  })
}

/** The sample covariance (divided by n) of n rows of D. */
export const sampleCovariance = (x: Float64Array, D: number): number[][] => {
  const n = x.length / D
  const m = columnMeans(x, D)
  return Array.from({ length: D }, (_r, a) =>
    Array.from({ length: D }, (_c, b) => {
      let s = 0
      for (let i = 0; i < n; i++) s += (x[i * D + a] - m[a]) * (x[i * D + b] - m[b])
      return s / n
    }),
  )
}

/** The inverse of a small invertible matrix by Gauss–Jordan elimination with partial pivoting. */
export const inverse = (a: readonly (readonly number[])[]): number[][] => {
  const n = a.length
  const m = a.map((row, i) => [...row, ...row.map((_v, j) => (i === j ? 1 : 0))])
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r
    ;[m[c], m[p]] = [m[p], m[c]]
    const pivot = m[c][c]
    for (let j = 0; j < 2 * n; j++) m[c][j] /= pivot
    for (let r = 0; r < n; r++) {
      if (r === c) continue
      const f = m[r][c]
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j]
    }
  }
  return m.map((row) => row.slice(n))
}

const hex = (x: number): string => Buffer.from(Float64Array.of(x).buffer).toString('hex')

/**
 * A value as text in which every number and every element of a Float64Array is written as its 64 bits,
 * so that two values compare equal exactly when they hold the same bits (−0 ≠ 0, NaN = NaN).
 */
export const bits = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' ? hex(x) : x instanceof Float64Array ? Array.from(x, hex) : x))
