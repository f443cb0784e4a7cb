/**
 * The catalogue's exact draws against closed forms and the grid: every target's draws have the law
 * exp(−E/T) of its own energy (means and second moments within 4 MCSE of i.i.d. draws), so the checkers
 * start and compare with the right law. ULA's law has the effective-temperature covariance.
 */
import t, { type Test } from 'tap'
import * as energy from '../../src/energy/index.js'
import * as grid from '../../src/energy/grid.js'
import * as rng from '../../src/rng/index.js'
import * as testing from '../../src/testing/index.js'

const n = 20_000

/** E[f] over the draws against `want`, within 4 MCSE of n i.i.d. draws. */
const expectMean = (t: Test, xs: Float64Array, D: number, f: (x: Float64Array) => number, want: number, what: string): void => {
  const v = Array.from({ length: xs.length / D }, (_v, c) => f(xs.subarray(c * D, (c + 1) * D)))
  const mean = v.reduce((s, x) => s + x, 0) / v.length
  const se = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1) / v.length)
  t.ok(Math.abs(mean - want) < 4 * se, `${what}: ${mean.toFixed(4)} vs ${want.toFixed(4)} (MCSE ${se.toExponential(2)})`)
}

/** Every mean and second moment against exp(−E/T) tabulated on a fine 2-D grid. */
const expectGrid = (t: Test, target: testing.Target, bounds: grid.Bounds): void => {
  const exact = grid.tabulate(energy.temper(target.temperature)(target.energy), { bounds, n: 300 })
  const xs = target.draw(n, 1, 0)
  const fs: [string, (x: ArrayLike<number>) => number][] = [['x₀', (x) => x[0]], ['x₁', (x) => x[1]], ['x₀²', (x) => x[0] ** 2], ['x₁²', (x) => x[1] ** 2], ['x₀x₁', (x) => x[0] * x[1]]]
  for (const [name, f] of fs) expectMean(t, xs, 2, f, grid.expectation(exact, f), `${target.name}: E[${name}]`)
}

t.test('a Gaussian with a full precision at T ≠ 1: mean μ and covariance T·P⁻¹', async (t) => {
  // P⁻¹ of [[2, 0.8], [0.8, 1.5]] is [[1.5, −0.8], [−0.8, 2]]/2.36
  const g = testing.gaussianTarget({ mean: [1, -0.5], precision: [[2, 0.8], [0.8, 1.5]], temperature: 0.5 })
  const xs = g.draw(n, 3, 0)
  expectMean(t, xs, 2, (x) => x[0], 1, 'E[x₀]')
  expectMean(t, xs, 2, (x) => (x[0] - 1) ** 2, (0.5 * 1.5) / 2.36, 'Var x₀')
  expectMean(t, xs, 2, (x) => (x[0] - 1) * (x[1] + 0.5), (0.5 * -0.8) / 2.36, 'Cov(x₀, x₁)')
  expectMean(t, xs, 2, (x) => (x[1] + 0.5) ** 2, (0.5 * 2) / 2.36, 'Var x₁')
})

t.test("ULA's law: covariance T·(P − hP²/2)⁻¹, each direction at T·2/(2 − hλ)", async (t) => {
  // P = diag(4, 1), h = 0.3: variances (T/λ)·2/(2 − hλ) = 0.7/4·2/0.8 and 0.7·2/1.7
  const law = testing.ulaLaw(testing.gaussianTarget({ mean: [0, 0], precision: [[4, 0], [0, 1]], temperature: 0.7 }), 0.3)
  const xs = law.draw(n, 4, 0)
  expectMean(t, xs, 2, (x) => x[0] ** 2, (0.7 / 4) * (2 / 0.8), 'Var x₀')
  expectMean(t, xs, 2, (x) => x[1] ** 2, 0.7 * (2 / 1.7), 'Var x₁')
  t.throws(() => testing.ulaLaw(testing.doubleWellTarget(), 0.1), { message: 'testing.ulaLaw: target: expected a Gaussian target (testing.gaussianTarget), got "doubleWell(a = 1, b = 1, D = 1, T = 1)"' })
  t.throws(() => testing.ulaLaw(testing.gaussianTarget({ mean: [0], precision: [[4]] }), 0.5), { message: /^testing.ulaLaw: stepSize: expected a step size below 2\/λ_max/ })
})

t.test('mixtures, double wells and tilted Gaussians draw exp(−E/T) of their energy (against the grid)', async (t) => {
  expectGrid(t, testing.mixtureTarget({ means: [[-1.5, 0], [1, 1]], sigma: 0.6, weights: [1, 3], temperature: 2 }), [[-5, 4], [-3.5, 4.5]])
  expectGrid(t, testing.doubleWellTarget({ dim: 2, a: 1.5, b: 0.8, temperature: 0.6 }), [[-2.5, 2.5], [-4.5, 4.5]])
  expectGrid(t, testing.tiltedGaussianTarget({ mean: [0.5, 0], precision: [[1.5, 0.3], [0.3, 1]], seed: 9, height: 1, hidden: 3, temperature: 0.8 }), [[-4, 5], [-5, 5]])
})

t.test('draws are a pure function of (count, seed, stream)', async (t) => {
  const target = testing.doubleWellTarget({ dim: 2 })
  t.strictSame(target.draw(10, 5, 2), target.draw(10, 5, 2))
  t.notSame(target.draw(10, 5, 2), target.draw(10, 5, 3))
})

t.test("a user's target is checked: its energy, its temperature and its draws' length", async (t) => {
  const e = energy.gaussian({ mean: [0, 0] })
  const draw = (count: number, seed: number, stream: number) => rng.normals(seed, stream, 0, 2 * count)
  t.equal(testing.target({ energy: e, draw }).temperature, 1)
  t.throws(() => testing.target({ energy: e, draw, temperature: -1 }), { message: 'testing.target: temperature: expected a positive number, got -1' })
  t.throws(() => testing.target({ energy: e, draw: 'x' as never }), { name: 'TypeError', message: 'testing.target: draw: expected a function, got "x"' })
  const short = testing.target({ energy: e, draw: (count, seed, stream) => rng.normals(seed, stream, 0, count) })
  t.throws(() => short.draw(3, 0, 0), { message: 'testing.target(gaussian): draw(3, 0, 0): has 3 values; 3 draws × 2 dimensions need 6' })
  t.throws(() => testing.checkTarget(7, 'here'), { name: 'TypeError', message: /^here: expected a target with exact draws .*, got 7$/ })
})
