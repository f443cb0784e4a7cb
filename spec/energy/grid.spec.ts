import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as grid from '../../src/energy/grid.js'
import * as rng from '../../src/rng/index.js'

// Closed forms for Gaussians N(μ, Σ) in two dimensions given by their precision P = Σ⁻¹.
type M = number[][]
const det = (a: M) => a[0][0] * a[1][1] - a[0][1] * a[1][0]
const inverse = (a: M): M => [[a[1][1] / det(a), -a[0][1] / det(a)], [-a[1][0] / det(a), a[0][0] / det(a)]]
/** KL(N(μp, Pp⁻¹) ‖ N(μq, Pq⁻¹)) = ½[tr(Pq Σp) + (μq − μp)ᵀPq(μq − μp) − 2 + log det Σq/det Σp]. */
const gaussianKl = (mp: number[], Pp: M, mq: number[], Pq: M): number => {
  const Sp = inverse(Pp)
  const trace = Pq[0][0] * Sp[0][0] + Pq[0][1] * Sp[1][0] + Pq[1][0] * Sp[0][1] + Pq[1][1] * Sp[1][1]
  const d = [mq[0] - mp[0], mq[1] - mp[1]]
  const quad = d[0] * (Pq[0][0] * d[0] + Pq[0][1] * d[1]) + d[1] * (Pq[1][0] * d[0] + Pq[1][1] * d[1])
  return 0.5 * (trace + quad - 2 + Math.log(det(Pp) / det(Pq)))
}

t.test('grid.evaluate gives log Z of a correlated 2-D Gaussian to 1e-6', async (t) => {
  // Covariance Σ = P⁻¹ has marginal standard deviations ≤ 1.6 and smallest eigenvalue ≈ 0.33 (σ_min ≈ 0.57).
  // Bounds ±16 around the mean are beyond 10 marginal σ, so the mass outside is below e^−50. The midpoint
  // rule on a tensor grid of spacing h sums exp(−E) exactly up to aliasing terms (Poisson summation) of
  // size exp(−2π²σ_min²/h²); with n = 200, h = 0.16 and that is e^−250. What remains is rounding.
  const P = [[3, -1.2], [-1.2, 0.8]]
  const mean = [0.4, -0.3]
  const g = grid.evaluate(energy.gaussian({ mean, precision: P }), { bounds: [[-15.6, 16.4], [-16.3, 15.7]], n: 200 })
  const want = Math.log(2 * Math.PI) - 0.5 * Math.log(det(P))
  t.ok(Math.abs((g.logZ as number) - want) < 1e-6, `logZ ${g.logZ} vs ${want} (error ${Math.abs((g.logZ as number) - want)})`)
  let total = 0
  for (const v of g.density) total += v * g.cellVolume
  t.ok(Math.abs(total - 1) < 1e-12, 'the density is normalised on the grid')
  t.equal(g.density.length, 200 * 200)
})

t.test('grid.expectation gives the first and second moments of a correlated 2-D Gaussian', async (t) => {
  // The same grid as above: the midpoint rule is exact up to terms of e^−250 for these moments too.
  const P = [[3, -1.2], [-1.2, 0.8]]
  const mean = [0.4, -0.3]
  const S = inverse(P)
  const g = grid.evaluate(energy.gaussian({ mean, precision: P }), { bounds: [[-15.6, 16.4], [-16.3, 15.7]], n: 200 })
  const cases: [string, (x: readonly number[]) => number, number][] = [
    ['E[x₀]', ([a]) => a, mean[0]],
    ['E[x₁]', ([, b]) => b, mean[1]],
    ['E[x₀²]', ([a]) => a * a, S[0][0] + mean[0] ** 2],
    ['E[x₀x₁]', ([a, b]) => a * b, S[0][1] + mean[0] * mean[1]],
  ]
  for (const [name, f, want] of cases) {
    const got = grid.expectation(g, f)
    t.ok(Math.abs(got - want) < 1e-9, `${name}: ${got} vs ${want}`)
  }
})

t.test('grid.kl between two known Gaussians equals the closed form to 1e-4, in both directions', async (t) => {
  // Same reasoning as above: both densities are negligible at the bounds (beyond 10σ) and smooth on the
  // scale of the cells, so the midpoint sums of p·log(p/q) are exact far below 1e-4.
  const Pp = [[2, 0.5], [0.5, 1]]
  const Pq = [[1, -0.3], [-0.3, 0.6]]
  const mp = [0.5, 0]
  const mq = [-0.5, 1]
  const spec = { bounds: [[-20, 20], [-20, 20]] as [number, number][], n: 240 }
  const p = grid.evaluate(energy.gaussian({ mean: mp, precision: Pp }), spec)
  const q = grid.evaluate(energy.gaussian({ mean: mq, precision: Pq }), spec)
  const forward = gaussianKl(mp, Pp, mq, Pq)
  const reverse = gaussianKl(mq, Pq, mp, Pp)
  t.ok(Math.abs(grid.kl(p, q) - forward) < 1e-4, `KL(p‖q) ${grid.kl(p, q)} vs ${forward}`)
  t.ok(Math.abs(grid.kl(q, p) - reverse) < 1e-4, `KL(q‖p) ${grid.kl(q, p)} vs ${reverse}`)
  t.equal(grid.kl(p, p), 0)
  const tv = grid.tv(p, q)
  t.ok(tv > 0 && tv < 1, 'total variation lies in (0, 1)')
  t.equal(grid.tv(p, p), 0)
})

t.test('grid.kl shows maximum likelihood covering modes and reverse KL seeking one', async (t) => {
  // Target: two well-separated modes. Model A sits on one mode; model B is one broad Gaussian over both.
  const spec = { bounds: [[-12, 12]] as [number, number][], n: 1200 }
  const target = grid.evaluate(energy.gmm({ means: [[-3], [3]], sigma: 0.5 }), spec)
  const seeker = grid.evaluate(energy.gaussian({ mean: [3], precision: [[4]] }), spec)
  const coverer = grid.evaluate(energy.gaussian({ mean: [0], precision: [[1 / 9.25]] }), spec)
  // Reverse KL(model‖target) of the one-mode model is about log 2 (it misses half the target's mass)...
  t.ok(Math.abs(grid.kl(seeker, target) - Math.log(2)) < 1e-3, `reverse KL of the mode seeker ${grid.kl(seeker, target)} ≈ log 2`)
  // ...and forward KL punishes it hard, where the broad model pays only for its width.
  t.ok(grid.kl(target, seeker) > 10, `forward KL of the mode seeker ${grid.kl(target, seeker)}`)
  t.ok(grid.kl(target, coverer) < grid.kl(target, seeker), 'maximum likelihood prefers the mode-covering model')
  t.ok(grid.kl(seeker, target) < grid.kl(coverer, target), 'reverse KL prefers the mode-seeking model')
})

t.test('grid.histogram of seeded normal draws is close to the Gaussian density', async (t) => {
  const N = 20000
  const points = rng.normals(11, 0, 0, N)
  const spec = { bounds: [[-5, 5]] as [number, number][], n: 20 }
  const h = grid.histogram(points, spec)
  const g = grid.evaluate(energy.gaussian({ mean: [0] }), spec)
  // Two sources of difference, each bounded: sampling, with E|p̂ᵢ − pᵢ| ≤ √(pᵢ/N) per cell (so TV's mean is
  // below ½Σ√(pᵢ/N), and we allow twice that), and the midpoint rule, since a cell's probability and
  // its density at the centre times the width differ by (w³/24)|φ''| at most.
  const w = 0.5
  let sampling = 0
  let midpoint = 0
  g.centres[0].forEach((x, i) => {
    sampling += 0.5 * Math.sqrt((g.density[i] * w) / N)
    midpoint += 0.5 * ((w ** 3 / 24) * Math.abs(x * x - 1) * Math.exp(-x * x / 2)) / Math.sqrt(2 * Math.PI)
  })
  t.ok(grid.tv(h, g) < 2 * sampling + midpoint, `TV ${grid.tv(h, g)} < ${2 * sampling + midpoint}`)
  t.equal(h.outside, 0)
  t.equal(grid.kl(g, grid.histogram([[0.1]], spec)), Infinity, 'KL is infinite where the histogram is empty')
  t.ok(Number.isFinite(grid.kl(g, grid.histogram([[0.1]], { ...spec, pseudocount: 0.5 }))), 'a pseudocount keeps it finite')
  t.equal(grid.histogram([[0.1], [7]], spec).outside, 1)
  t.same(Array.from(grid.histogram([[0.1, 0.1], [0.2, 0.9], [0.9, 0.9]], { bounds: [[0, 1], [0, 1]], n: 2 }).density), [4 / 3, 4 / 3, 0, 4 / 3], '2-D cells are row-major, first axis slowest')
})

t.test('grid functions reject bad grids and mismatched pairs, naming the argument', async (t) => {
  const e = energy.doubleWell()
  t.throws(() => grid.evaluate(e, { bounds: [[1, -1]], n: 10 }), { name: 'RangeError', message: 'grid.evaluate: bounds[0]: expected lo < hi, got [1, -1]' })
  t.throws(() => grid.evaluate(e, { bounds: [[-1, 1]], n: 0 }), { name: 'RangeError', message: 'grid.evaluate: n: expected an integer ≥ 1, got 0' })
  t.throws(() => grid.evaluate(e, { bounds: [[-1, 1], [-1, 1]], n: 10 }), { name: 'RangeError', message: 'grid.evaluate: energy: expected an energy of shape [2] (bounds of 2 axes), got \'doubleWell\' of shape [1]' })
  t.throws(() => grid.evaluate(e, { bounds: [[-1, 1], [-1, 1], [0, 1]], n: 10 }), { name: 'RangeError', message: 'grid.evaluate: bounds: expected [[lo, hi]] or [[x0, x1], [y0, y1]], got an array of length 3' })
  const a = grid.evaluate(e, { bounds: [[-2, 2]], n: 10 })
  const b = grid.evaluate(e, { bounds: [[-2, 2]], n: 11 })
  t.throws(() => grid.kl(a, b), { name: 'RangeError', message: 'grid.kl: q: expected the grid of p (bounds [[-2,2]], n = 10), got bounds [[-2,2]], n = 11' })
  t.throws(() => grid.tv(a, b), { name: 'RangeError', message: 'grid.tv: q: expected the grid of p (bounds [[-2,2]], n = 10), got bounds [[-2,2]], n = 11' })
  t.throws(() => grid.histogram([[0, 1]], { bounds: [[-2, 2]], n: 4 }), { name: 'RangeError', message: 'grid.histogram: points[0]: has 2 values; points in these bounds need 1' })
  t.throws(() => grid.histogram([[5]], { bounds: [[-2, 2]], n: 4 }), { name: 'RangeError', message: 'grid.histogram: points: expected at least one point inside the bounds [[-2,2]], got none (1 outside)' })
})

t.test('grid.entropy and grid.mass measure a double well', async (t) => {
  const g = grid.evaluate(energy.doubleWell(), { bounds: [[-4, 4]], n: 800 })
  t.ok(Math.abs(grid.mass(g, ([x]) => x > 0) - 0.5) < 1e-12, 'symmetric wells hold half the mass each')
  const gaussianEntropy = grid.entropy(grid.evaluate(energy.gaussian({ mean: [0] }), { bounds: [[-12, 12]], n: 800 }))
  t.ok(Math.abs(gaussianEntropy - 0.5 * Math.log(2 * Math.PI * Math.E)) < 1e-9, `entropy of N(0,1): ${gaussianEntropy}`)
})

t.test('grid.evaluate finds log Z = 0 for the normalised Gaussian mixture', async (t) => {
  // Components of σ = 0.6 with means within 2 of the origin: ±10 is beyond 13σ from every mean, and cells
  // of 0.1 (σ/6) make the midpoint aliasing terms exp(−2π²·36) negligible.
  const g = grid.evaluate(energy.gmm({ means: [[-1, 0], [1, 1], [0, -2]], sigma: 0.6, weights: [1, 2, 3] }), { bounds: [[-10, 10], [-10, 10]], n: 200 })
  t.ok(Math.abs(g.logZ as number) < 1e-12, `log Z = ${g.logZ}`)
})
