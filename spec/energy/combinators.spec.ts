import { pipe } from 'fp-ts/lib/function.js'
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as grid from '../../src/energy/grid.js'

const P = [[2, 0.6], [0.6, 1]]
const g = energy.gaussian({ mean: [0.3, -0.2], precision: P })
const logDetP = Math.log(2 * 1 - 0.6 * 0.6)

t.test('temper: log Z of E/T for a Gaussian is (d/2) log 2πT − ½ log det P', async (t) => {
  // The grid is ±12 standard deviations (σ² ≤ T/λ_min(P) < 7.5) with cells ≲ σ/10, where the midpoint rule
  // is exact to rounding (see grid.spec.ts), so the difference measures only the combinator.
  for (const T of [0.1, 0.5, 2, 5]) {
    const s = 12 * Math.sqrt(T * 1.5)
    const { logZ } = grid.evaluate(pipe(g, energy.temper(T)), { bounds: [[-s, s], [-s, s]], n: 320 })
    const want = Math.log(2 * Math.PI * T) - logDetP / 2
    t.ok(Math.abs((logZ as number) - want) < 1e-9, `T = ${T}: ${logZ} vs ${want}`)
  }
})

t.test('temper and scale divide and multiply the energy, and keep parameter names', async (t) => {
  const x = [[1, 2], [-0.5, 0.1]]
  const base = energy.evaluate(g, x)
  t.same(Array.from(energy.evaluate(pipe(g, energy.temper(4)), x)), Array.from(base.map((v) => v / 4)))
  t.same(Array.from(energy.evaluate(pipe(g, energy.scale(3)), x)), Array.from(base.map((v) => v * 3)))
  t.same(Object.keys(pipe(g, energy.temper(4)).params), ['mean'])
  t.throws(() => energy.temper(0), { name: 'RangeError', message: 'energy.temper: T: expected a positive number, got 0' })
  t.throws(() => energy.scale(-1), { name: 'RangeError', message: 'energy.scale: factor: expected a positive number, got -1' })
})

t.test('condition equals the full energy evaluated at the clamped values', async (t) => {
  const e3 = energy.gaussian({ mean: [0.1, 0.2, 0.3], precision: [[2, 0.3, 0.1], [0.3, 1.5, 0.2], [0.1, 0.2, 1]] })
  const clamped = pipe(e3, energy.condition({ indices: [2, 0], values: [1.5, -0.5] }))
  t.same(clamped.shape, [1])
  const ys = [[-1], [0], [0.7], [2]]
  const full = ys.map(([y]) => [-0.5, y, 1.5])
  t.same(Array.from(energy.evaluate(clamped, ys)), Array.from(energy.evaluate(e3, full)))
  const [gc] = [energy.gradient(clamped, ys)]
  const gf = energy.gradient(e3, full)
  t.same(Array.from(gc), ys.map((_y, i) => gf[3 * i + 1]), 'its gradient is the free coordinate of the full gradient')
  t.throws(() => energy.condition({ indices: [3], values: [0] })(e3), { name: 'RangeError', message: 'energy.condition: indices[0]: expected an index below 3 (the energy\'s coordinates), got 3' })
  t.throws(() => energy.condition({ indices: [0], values: [0, 1] }), { name: 'RangeError', message: 'energy.condition: values: has 2 values; the indices need 1' })
  t.throws(() => energy.condition({ indices: [0, 0], values: [0, 1] })(e3), { name: 'RangeError', message: 'energy.condition: indices[1]: expected an index not already clamped (indices[0]), got 0' })
  t.throws(() => energy.condition({ indices: [0, 1, 2], values: [0, 1, 2] })(e3), { name: 'RangeError', message: 'energy.condition: indices: expected fewer than 3 indices (clamping every coordinate leaves nothing to model), got an array of length 3' })
})

t.test('sum prefixes the parameters of each part and adds the energies', async (t) => {
  const a = energy.quadratic({ center: [1, 0] })
  const s = energy.sum(a, a, energy.rastrigin())
  t.same(Object.keys(s.params).sort(), ['0.theta', '1.theta'])
  const p = { '0.theta': Float64Array.of(1, 0), '1.theta': Float64Array.of(0, 2) }
  const [v] = energy.evaluate(s, [[0.5, 0.5]], p)
  const want = 0.5 * (0.25 + 0.25) + 0.5 * (0.25 + 2.25) + energy.evaluate(energy.rastrigin(), [[0.5, 0.5]])[0]
  t.ok(Math.abs(v - want) < 1e-12)
  t.equal(energy.productOfExperts, energy.sum)
  t.throws(() => energy.sum(a, energy.doubleWell()), { name: 'RangeError', message: 'energy.sum: energies[1]: expected an energy of shape [2] (as energies[0]), got shape [1]' })
  t.throws(() => energy.sum(), { name: 'RangeError', message: 'energy.sum: energies: expected at least one energy, got an array of length 0' })
})

t.test('mixture is −logsumexp(−E_k + log w_k) and normalises its weights', async (t) => {
  const parts = [energy.gaussian({ mean: [-2] }), energy.gaussian({ mean: [1] })]
  const m = energy.mixture(parts, [1, 3])
  const xs = [[-2], [0], [3]]
  const E = parts.map((e) => energy.evaluate(e, xs))
  const got = energy.evaluate(m, xs)
  xs.forEach((_x, i) => t.ok(Math.abs(got[i] + Math.log(0.25 * Math.exp(-E[0][i]) + 0.75 * Math.exp(-E[1][i]))) < 1e-14))
  t.same((m.description as { weights: number[] }).weights, [0.25, 0.75])
  t.same(Object.keys(m.params).sort(), ['0.mean', '1.mean'])
  t.throws(() => energy.mixture(parts, [1]), { name: 'RangeError', message: 'energy.mixture: weights: has 1 value; the energies need 2' })
})

t.test('shift moves the landscape by the offset', async (t) => {
  const e = pipe(energy.rosenbrock(), energy.shift([2, -1]))
  t.same(Array.from(energy.evaluate(e, [[3, 0]])), [0])
  t.throws(() => energy.shift([1])(energy.rosenbrock()), { name: 'RangeError', message: 'energy.shift: offset: has 1 value; configurations of shape [2] need 2' })
})
