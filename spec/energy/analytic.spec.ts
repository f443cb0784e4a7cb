import t from 'tap'
import * as energy from '../../src/energy/index.js'
import { richardson } from '../ir/numeric.js'

type Gradient = (x: readonly number[]) => number[]

// Points in the region where each energy is of moderate size, so that finite differences are accurate.
const points2 = [[0.3, -0.7], [-1.2, 0.4], [0.9, 1.1], [-0.5, -1.6]]

/** The largest relative error of the IR gradient against Richardson finite differences of the energy. */
const finiteDifferenceError = (e: energy.Energy, points: readonly (readonly number[])[]): number => {
  const g = energy.gradient(e, points)
  let worst = 0
  points.forEach((p, r) => {
    p.forEach((_v, i) => {
      const f = (s: number) => energy.evaluate(e, [p.map((v, j) => (j === i ? v + s : v))])[0]
      const fd = richardson(f)
      worst = Math.max(worst, Math.abs(g[r * p.length + i] - fd) / (Math.abs(fd) + 1))
    })
  })
  return worst
}

const closedFormError = (e: energy.Energy, points: readonly (readonly number[])[], grad: Gradient): number => {
  const g = energy.gradient(e, points)
  let worst = 0
  points.forEach((p, r) => grad(p).forEach((v, i) => (worst = Math.max(worst, Math.abs(g[r * p.length + i] - v) / (Math.abs(v) + 1)))))
  return worst
}

const P = [[2, 0.6], [0.6, 1]]
const gmmOptions = { means: [[-1, 0], [1, 0.5], [0, 2]], sigma: 0.7, weights: [1, 2, 1] }
const gmmGradient: Gradient = (x) => {
  // ∇E = Σ_k r_k (x − μ_k)/σ² with responsibilities r_k ∝ w_k exp(−‖x − μ_k‖²/2σ²)
  const s2 = gmmOptions.sigma ** 2
  const logs = gmmOptions.means.map((m, k) => Math.log(gmmOptions.weights[k] / 4) - ((x[0] - m[0]) ** 2 + (x[1] - m[1]) ** 2) / (2 * s2))
  const top = Math.max(...logs)
  const r = logs.map((l) => Math.exp(l - top))
  const total = r.reduce((a, b) => a + b)
  return [0, 1].map((i) => gmmOptions.means.reduce((s, m, k) => s + (r[k] / total) * (x[i] - m[i]), 0) / s2)
}

const catalogue: [string, energy.Energy, readonly (readonly number[])[], Gradient | undefined][] = [
  ['quadratic', energy.quadratic({ center: [0.5, -1] }), points2, (x) => [x[0] - 0.5, x[1] + 1]],
  ['gaussian', energy.gaussian({ mean: [0.2, -0.1], precision: P }), points2, (x) => {
    const r = [x[0] - 0.2, x[1] + 0.1]
    return [P[0][0] * r[0] + P[0][1] * r[1], P[1][0] * r[0] + P[1][1] * r[1]]
  }],
  ['gmm', energy.gmm(gmmOptions), points2, gmmGradient],
  ['doubleWell', energy.doubleWell(), [[-1.3], [0.2], [0.8], [1.7]], (x) => [4 * x[0] ** 3 - 4 * x[0]]],
  ['doubleWell (a = 2, b = 1.5, dim = 2)', energy.doubleWell({ a: 2, b: 1.5, dim: 2 }), points2, (x) => [2 * (4 * x[0] ** 3 - 4 * 2.25 * x[0]), x[1]]],
  ['rosenbrock', energy.rosenbrock({ b: 5 }), points2, (x) => [-20 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]), 10 * (x[1] - x[0] ** 2)]],
  ['rosenbrock (dim = 3)', energy.rosenbrock({ dim: 3, b: 5 }), [[0.3, -0.7, 0.2], [1.1, 0.4, -0.3]], undefined],
  ['rastrigin', energy.rastrigin(), points2, (x) => x.map((v) => 2 * v + 20 * Math.PI * Math.sin(2 * Math.PI * v))],
  ['funnel', energy.funnel(), points2, (x) => [x[0] / 9 - (Math.exp(-x[0]) * x[1] ** 2) / 2 + 0.5, Math.exp(-x[0]) * x[1]]],
  ['funnel (dim = 4)', energy.funnel({ dim: 4, sigma: 2 }), [[0.3, -0.7, 0.2, 1], [-1, 0.4, -0.3, 0.5]], undefined],
]

t.test('every catalogue energy has an IR gradient equal to finite differences and to its closed form', async (t) => {
  for (const [name, e, points, grad] of catalogue) {
    // Richardson differences with h = 1e-3 have truncation error O(h⁴) ≈ 1e-12 times the fifth derivative.
    t.ok(finiteDifferenceError(e, points) < 1e-7, `${name}: finite differences (error ${finiteDifferenceError(e, points)})`)
    if (grad) t.ok(closedFormError(e, points, grad) < 1e-12, `${name}: closed form (error ${closedFormError(e, points, grad)})`)
  }
})

t.test('the catalogue energies have their closed-form values', async (t) => {
  t.same(Array.from(energy.evaluate(energy.doubleWell(), [[-1], [0], [1], [2]])), [-1, 0, -1, 8], 'U(θ) = −2θ² + θ⁴')
  t.same(Array.from(energy.evaluate(energy.rosenbrock(), [[1, 1], [0, 0]])), [0, 1])
  t.same(Array.from(energy.evaluate(energy.rastrigin({ dim: 3 }), [[0, 0, 0], [1, 0, 0]])), [0, 1])
  const [g] = energy.evaluate(energy.gmm({ means: [[0, 0]], sigma: 2 }), [[0, 0]])
  t.ok(Math.abs(g - Math.log(2 * Math.PI * 4)) < 1e-14, 'a one-component gmm at its mean is −log N(0; 0, 4I)')
  const [f] = energy.evaluate(energy.funnel(), [[2, 1]])
  t.ok(Math.abs(f - (4 / 18 + Math.exp(-2) / 2 + 1)) < 1e-14, 'funnel at (2, 1)')
})

t.test('bad catalogue options give errors that name the argument', async (t) => {
  t.throws(() => energy.gaussian({ mean: [0, 0], precision: [[1, 0.5], [0.4, 1]] }), { name: 'RangeError', message: 'energy.gaussian: precision: expected a symmetric matrix, got [1][0] = 0.4 but [0][1] = 0.5' })
  t.throws(() => energy.gaussian({ mean: [0, 0], precision: [[1, 2], [2, 1]] }), { name: 'RangeError', message: 'energy.gaussian: precision: expected a positive-definite matrix (its Cholesky factorisation fails), got an array of length 2' })
  t.throws(() => energy.gaussian({ mean: [0, 0], precision: [[1, 0, 0], [0, 1, 0]] }), { name: 'RangeError', message: 'energy.gaussian: precision[0]: expected 2 numbers (rows of equal length), got an array of length 3' })
  t.throws(() => energy.gaussian({ mean: [0, NaN] }), { name: 'RangeError', message: 'energy.gaussian: mean[1]: expected a finite number, got NaN' })
  t.throws(() => energy.gmm({ means: [[0, 0], [1, NaN]], sigma: 1 }), { name: 'RangeError', message: 'energy.gmm: means[1][1]: expected a finite number, got NaN' })
  t.throws(() => energy.gmm({ means: [[0, 0], [1]], sigma: 1 }), { name: 'RangeError', message: 'energy.gmm: means[1]: expected 2 numbers (rows of equal length), got an array of length 1' })
  t.throws(() => energy.gmm({ means: [[0]], sigma: -1 }), { name: 'RangeError', message: 'energy.gmm: sigma: expected a positive number, got -1' })
  t.throws(() => energy.gmm({ means: [[0], [1]], sigma: 1, weights: [1, 0] }), { name: 'RangeError', message: 'energy.gmm: weights[1]: expected a positive number, got 0' })
  t.throws(() => energy.doubleWell({ dim: 0 }), { name: 'RangeError', message: 'energy.doubleWell: dim: expected an integer ≥ 1, got 0' })
  t.throws(() => energy.rosenbrock({ dim: 1 }), { name: 'RangeError', message: 'energy.rosenbrock: dim: expected an integer ≥ 2, got 1' })
  t.throws(() => energy.funnel({ sigma: 0 }), { name: 'RangeError', message: 'energy.funnel: sigma: expected a positive number, got 0' })
  t.throws(() => energy.quadratic({ center: [] }), { name: 'RangeError', message: 'energy.quadratic: center: expected at least one number, got an array of length 0' })
})
