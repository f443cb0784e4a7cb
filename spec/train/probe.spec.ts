/**
 * The long-run probe against closed forms. On N(0, σ²I) data in two dimensions the energy of a Gaussian
 * model E = ½‖x‖²/s² is exponential: over the data r·Exp(1) with r = σ²/s², over the model's own chains
 * at temperature T (exp(−E/T)) T·Exp(1). So the data's p-quantile is −r·log(1 − p), the chains' mean
 * energy T, and the fraction of chains below a threshold q is 1 − exp(−q/T). A ravine (a deep narrow well
 * far from the data) is found by chains from noise, and its chains sit Exp(1) above its floor. The grid KL
 * of independent chains' final positions is the plug-in KL of a multinomial histogram, whose expectation
 * is computed exactly per cell.
 */
import t from 'tap'
import { nativeAddon } from '../../src/backend/index.js'
import { logGamma } from '../../src/diagnostics/index.js'
import * as energy from '../../src/energy/index.js'
import * as grid from '../../src/energy/grid.js'
import * as ir from '../../src/ir/index.js'
import * as rng from '../../src/rng/index.js'
import * as sampler from '../../src/sampler/index.js'
import * as train from '../../src/train/index.js'
import { isotropic } from './fixtures.js'

const native = nativeAddon().addon !== undefined
const needsNative = { skip: native ? false : 'the native addon is not built (the reference executor would take minutes)' }

/** E = ½‖x − μ‖²/s² in two dimensions, μ a parameter 'mean' from `mean`. */
const gaussian = (s: number, mean = [0, 0]) => energy.gaussian({ mean, precision: [[1 / s ** 2, 0], [0, 1 / s ** 2]] })
const normalData = (sigma: number, n: number, seed: number) => rng.normals(seed, 0, 0, 2 * n).map((z) => sigma * z)
/** The binomial standard error of a fraction f of n. */
const fractionError = (f: number, n: number) => Math.sqrt((f * (1 - f)) / n)

t.test('on Gaussian data and model the probe reports the closed forms: quantiles r·(−log(1 − p)), mean T, fraction 1 − exp(−q/T)', needsNative, async (t) => {
  const [sigma, s, T, m, n] = [2, 1, 0.8, 20000, 4000]
  const r = sigma ** 2 / s ** 2
  const probe = await train.longRunProbe(gaussian(s), {}, { data: normalData(sigma, m, 1), seed: 2, steps: 300, chains: n, kernel: sampler.mala({ stepSize: 0.3, temperature: T }) })
  // The p-quantile of m exponential draws has sd ≈ √(p(1 − p)/m)/f(q), f the density at the quantile.
  const quantileError = (p: number) => Math.sqrt((p * (1 - p)) / m) / ((1 - p) / r)
  for (const [name, p] of [['q01', 0.01], ['median', 0.5], ['q99', 0.99]] as const) {
    const want = -r * Math.log(1 - p)
    t.ok(Math.abs(probe.data[name] - want) < 4 * quantileError(p), `data ${name}: ${probe.data[name]} vs ${want}`)
  }
  t.equal(probe.threshold, probe.data.q01, 'the threshold is the data\'s 1% quantile')
  for (const run of [probe.fromData, probe.fromNoise]) {
    // Mean energy T, sd T over n independent chains.
    t.ok(Math.abs(run.energies.mean - T) < (4 * T) / Math.sqrt(n), `mean long-run energy ${run.energies.mean} vs T = ${T}`)
    // Given the threshold the chains are independent of the data: the fraction is binomial.
    const want = 1 - Math.exp(-probe.threshold / T)
    t.ok(Math.abs(run.ravines - want) < 4 * fractionError(want, n), `fraction below the threshold ${run.ravines} vs ${want} (≈ 1 − 0.99^(r/T) = ${1 - 0.99 ** (r / T)})`)
    t.equal(run.nonFinite, 0)
  }
})

t.test('a well-trained model (exact score matching of a·‖x‖²/2 on N(0, σ²I)) finds no ravine: 1% of its long-run chains end below the data\'s 1% quantile', needsNative, async (t) => {
  const sigma = 1.5
  const data = normalData(sigma, 20000, 3)
  const { params } = await train.fit(isotropic(2), data, { objective: train.scoreMatching({ kind: 'exact' }), optimizer: train.adam({ lr: 0.05 }), batchSize: 2000, steps: 300, seed: 4 })
  t.ok(Math.abs(params.a[0] - 1 / sigma ** 2) < 0.02, `a = ${params.a[0]} vs 1/σ² = ${1 / sigma ** 2}`)
  const n = 2000
  const probe = await train.longRunProbe(isotropic(2), params, { data, seed: 5, steps: 500, chains: n, kernel: sampler.mala({ stepSize: 0.5 }) })
  // Over the data E = a‖x‖²/2 is a·σ²·Exp(1) with a·σ² ≈ 1, so the threshold is −log 0.99 (sd of the
  // empirical 1% quantile of 20,000 draws: √(0.01·0.99/20000)/0.99).
  t.ok(Math.abs(probe.threshold + Math.log(0.99)) < 4 * (Math.sqrt(0.01 * 0.99 / 20000) / 0.99), `threshold ${probe.threshold} vs ${-Math.log(0.99)}`)
  for (const run of [probe.fromData, probe.fromNoise]) {
    // The model's own chains give E an Exp(1) law: 1 − exp(−q) ≈ 1% of them end below the threshold.
    const want = 1 - Math.exp(-probe.threshold)
    t.ok(Math.abs(run.ravines - want) < 4 * fractionError(want, n), `fraction ${run.ravines} vs ${want}`)
  }
})

// A bump N(0, σ²I) with a ravine, −depth·exp(−‖x − c‖²/2w²), at c far from the data.
const [sigma, depth, w] = [1.2, 40, 0.5]
const c = [5, 3.5]
const ravine = energy.define({
  name: 'bumpWithRavine',
  shape: [2],
  build: (x) => {
    const bump = ir.mul(ir.sum(ir.square(x), 1), 0.5 / sigma ** 2)
    return ir.sub(bump, ir.mul(ir.exp(ir.mul(ir.sum(ir.square(ir.sub(x, ir.constant([c]))), 1), -1 / (2 * w * w))), depth))
  },
})
/** The ravine's floor: by symmetry it lies on the ray through c; minimised there on a fine 1-D grid. */
const floor = (() => {
  const norm = Math.hypot(c[0], c[1])
  let best = Infinity
  for (let u = norm - 1; u < norm + 1; u += 1e-6) best = Math.min(best, (0.5 * u * u) / sigma ** 2 - depth * Math.exp(-((u - norm) ** 2) / (2 * w * w)))
  return best
})()

t.test('chains from noise find a ravine far from the data; they sit Exp(1) above its floor', needsNative, async (t) => {
  const n = 1000
  const probe = await train.longRunProbe(ravine, {}, { data: normalData(sigma, 8000, 6), seed: 7, steps: 10000, chains: n, kernel: sampler.mala({ stepSize: 0.02 }), noise: { kind: 'uniform', low: -6, high: 6 }, grid: { bounds: [[-7, 7], [-7, 7]], n: 56 }, target: gaussian(sigma) })
  t.ok(probe.data.min > floor + 20, `the data never reach it: least data energy ${probe.data.min}, floor ${floor}`)
  t.ok(probe.fromNoise.ravines > 0.01 + 4 * fractionError(0.01, n), `${(100 * probe.fromNoise.ravines).toFixed(1)}% of the chains from noise end below the data's 1% quantile`)
  t.ok(probe.fromNoise.energies.min < floor + 1, `least long-run energy ${probe.fromNoise.energies.min}, floor ${floor}`)
  const inRavine = Array.from({ length: n }, (_v, i) => i).filter((i) => probe.fromNoise.finalEnergies[i] < probe.threshold && probe.fromNoise.finalEnergies[i] < 0)
  const near = inRavine.filter((i) => Math.hypot(probe.fromNoise.positions[2 * i] - c[0], probe.fromNoise.positions[2 * i + 1] - c[1]) < 0.5)
  t.equal(near.length, inRavine.length, 'every chain with E < 0 is in the ravine')
  // Near its floor the ravine is a 2-D harmonic well: E − floor is Exp(1) at T = 1 (sd 1).
  const excess = inRavine.reduce((a, i) => a + probe.fromNoise.finalEnergies[i] - floor, 0) / inRavine.length
  t.ok(Math.abs(excess - 1) < 4 / Math.sqrt(inRavine.length), `mean E − floor of the ${inRavine.length} chains in the ravine: ${excess}`)
  t.ok(probe.fromNoise.ravines > probe.fromData.ravines, `from data only ${(100 * probe.fromData.ravines).toFixed(1)}%`)
  // The ravine's mass is where the data have almost none: the chains that found it cost the KL most.
  const [kd, kn] = [probe.fromData.kl as train.HistogramKL, probe.fromNoise.kl as train.HistogramKL]
  t.ok((kn.data as number) > (kd.data as number), `KL(long run ‖ data): from noise ${kn.data}, from data ${kd.data}`)
})

/** E[Σ_k ĥ_k log ĥ_k] for multinomial cell frequencies ĥ = counts/N with cell probabilities π, summed exactly per cell. */
const expectedPlugIn = (pi: Float64Array, N: number): number => {
  let s = 0
  for (const p of pi) {
    if (!(p > 0)) continue
    const lambda = N * p
    const lo = Math.max(1, Math.floor(lambda - 12 * Math.sqrt(lambda) - 5))
    const hi = Math.min(N, Math.ceil(lambda + 12 * Math.sqrt(lambda) + 20))
    for (let k = lo; k <= hi; k++) {
      const logPmf = logGamma(N + 1) - logGamma(k + 1) - logGamma(N - k + 1) + k * Math.log(p) + (N - k) * Math.log1p(-p)
      s += Math.exp(logPmf) * (k / N) * Math.log(k / N)
    }
  }
  return s
}

/** The delta-method standard error of a plug-in KL(ĥ‖q) from N independent points: sd of log(ĥ/q) over ĥ, /√N. */
const klError = (h: grid.Grid, q: grid.Grid, N: number): number => {
  let [m1, m2] = [0, 0]
  for (let k = 0; k < h.density.length; k++) {
    if (h.density[k] === 0) continue
    const l = h.logDensity[k] - q.logDensity[k]
    m1 += h.density[k] * h.cellVolume * l
    m2 += h.density[k] * h.cellVolume * l * l
  }
  return Math.sqrt((m2 - m1 * m1) / N)
}

t.test('the grid KL of independent chains is the plug-in KL of their histogram: its exact expectation within 4 standard errors', needsNative, async (t) => {
  const [sigma, s, N] = [1.5, 1, 10000]
  const spec = { bounds: [[-6, 6], [-6, 6]] as [number, number][], n: 40 }
  const model = grid.evaluate(gaussian(s), spec)
  const target = grid.evaluate(gaussian(sigma), spec)
  // One snapshot, the last (thin = steps): N independent draws of the model, whose mean is given as a
  // parameter (its initial value, 3, would be wrong).
  const probe = await train.longRunProbe(gaussian(s, [3, 0]), { mean: [0, 0] }, { data: normalData(sigma, 4000, 8), seed: 9, steps: 200, thin: 200, chains: N, kernel: sampler.mala({ stepSize: 0.3 }), grid: spec, target: gaussian(sigma) })
  const kl = probe.fromNoise.kl as train.HistogramKL
  t.equal(kl.points, N)
  t.equal(kl.outside, 0)
  // E[KL(ĥ‖q)] = E[Σ ĥ log ĥ] − Σ π log(q·vol), with π the model's cell masses.
  const pi = model.density.map((d) => d * model.cellVolume)
  const plugIn = expectedPlugIn(pi, N)
  const want = (q: grid.Grid) => plugIn - pi.reduce((a, p, k) => a + (p > 0 ? p * (q.logDensity[k] + Math.log(q.cellVolume)) : 0), 0)
  const h = grid.histogram(probe.fromNoise.positions, spec)
  const closed = 2 * (Math.log(sigma / s) + s ** 2 / (2 * sigma ** 2) - 0.5)
  t.ok(Math.abs(kl.data as number - want(target)) < 4 * klError(h, target, N), `KL(long run ‖ data) ${kl.data} vs ${want(target)} (the continuous KL ${closed} plus the histogram's bias)`)
  t.ok(Math.abs(kl.model - want(model)) < 4 * klError(h, model, N), `KL(long run ‖ model) ${kl.model} vs ${want(model)} (0 plus the histogram's bias)`)
})

t.test('the trace has a snapshot every thin steps, and the KL pools the snapshots of the second half', async (t) => {
  const spec = { bounds: [[-5, 5], [-5, 5]] as [number, number][], n: 10 }
  const target = grid.evaluate(gaussian(1.3), spec)
  const probe = await train.longRunProbe(gaussian(1), {}, { data: normalData(1.3, 100, 10), seed: 11, steps: 100, thin: 30, chains: 20, kernel: sampler.mala({ stepSize: 0.2 }), grid: spec, target, backend: 'reference' })
  t.same(probe.snapshots, [30, 60, 90, 100])
  t.equal(probe.fromData.trace.length, 4)
  t.equal(probe.fromNoise.kl?.points, 3 * 20, 'snapshots 60, 90 and 100 of 20 chains')
  t.equal(probe.fromNoise.positions.length, 40)
  t.equal(probe.fromNoise.trace[3], probe.fromNoise.energies.mean, 'the last snapshot is the final state')
  const noGrid = await train.longRunProbe(gaussian(1), {}, { data: normalData(1.3, 100, 10), seed: 11, steps: 10, chains: 4, backend: 'reference' })
  t.equal(noGrid.fromData.kl, null)
  t.equal(noGrid.snapshots.length, 10, 'default thin: steps / 100, at least 1')
})

t.test('the same seed gives the same probe; native and reference agree to rounding', async (t) => {
  const options = { data: normalData(1.2, 50, 12), seed: 13, steps: 40, chains: 8, kernel: sampler.mala({ stepSize: 0.1 }) }
  const a = await train.longRunProbe(ravine, {}, { ...options, backend: 'reference' })
  const b = await train.longRunProbe(ravine, {}, { ...options, backend: 'reference' })
  t.same([...a.fromNoise.positions], [...b.fromNoise.positions])
  if (!native) return
  const c = await train.longRunProbe(ravine, {}, { ...options, backend: 'native' })
  const worst = Math.max(...a.fromNoise.positions.map((v, i) => Math.abs(v - c.fromNoise.positions[i])))
  t.ok(worst < 1e-9, `largest difference ${worst}`)
})

t.test('the probe refuses bad input with an error naming it', async (t) => {
  const data = normalData(1, 10, 1)
  const e = gaussian(1)
  const probe = (o: Record<string, unknown>, model: energy.Energy = e) => train.longRunProbe(model, {}, { data, seed: 1, steps: 2, chains: 2, backend: 'reference', ...o } as train.LongRunProbeOptions)
  await t.rejects(probe({ data: [1, 2, 3] }), { name: 'RangeError', message: /train.longRunProbe: data: expected row-major rows of 2 numbers/ })
  await t.rejects(probe({ data: [1, NaN] }), { message: 'train.longRunProbe: data[1]: expected a finite number, got NaN' })
  await t.rejects(probe({ ravineQuantile: 1 }), { name: 'RangeError', message: 'train.longRunProbe: ravineQuantile: expected a number in (0, 1), got 1' })
  await t.rejects(probe({ stepz: 3 }), { message: /train.longRunProbe: options: unknown option 'stepz'/ })
  await t.rejects(probe({ target: 'data' }), { name: 'TypeError', message: /train.longRunProbe: target: expected a grid/ })
  await t.rejects(probe({ target: e }), { name: 'TypeError', message: /train.longRunProbe: grid: expected \{ bounds, n \}/ })
  await t.rejects(probe({ grid: { bounds: [[-1, 1], [-1, 1]], n: 4 }, target: grid.evaluate(e, { bounds: [[-2, 2], [-2, 2]], n: 4 }) }), { name: 'RangeError', message: /train.longRunProbe: target: expected a grid on bounds \[\[-1,1\],\[-1,1\]\] with n = 4/ })
  await t.rejects(probe({ data: new Float64Array(9), grid: { bounds: [[-1, 1]], n: 4 } }, energy.gaussian({ mean: [0, 0, 0] })), { message: /train.longRunProbe: grid: expected a model of 1 or 2 dimensions for the grid KL, got "energy 'gaussian' of shape \[3\]"/ })
  await t.rejects(probe({ noise: { kind: 'uniform', low: 1, high: 0 } }), { message: 'train.longRunProbe: noise.high: expected a number above low = 1, got 0' })
  const log = energy.define({ name: 'log', shape: [2], build: (x) => ir.log(ir.sum(ir.square(x), 1)) })
  await t.rejects(probe({ data: [0, 0, 1, 1] }, log), { message: 'train.longRunProbe: the energy of data row 0: expected a finite number, got -Infinity' })
  await t.rejects(train.longRunProbe('e' as unknown as energy.Energy, {}, { data, seed: 1 }), { name: 'TypeError', message: /train.longRunProbe: energy: expected an Energy value/ })
})
