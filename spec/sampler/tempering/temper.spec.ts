/**
 * Replica exchange where a single chain fails: a 1-D mixture 0.2·N(−5, 1) + 0.8·N(5, 1), modes 10σ apart.
 * MALA chains never leave the mode they start in; `temper` started with every chain in the minor mode
 * recovers the weight of the major one within 4 Monte Carlo standard errors (the MCSE of the indicator
 * x > 0 from its chains' ESS). And the run is a function of its arguments: the same bits on 1 and 3
 * threads, and the native loop agrees with the reference (float32 with float64 to its rounding). Its
 * warnings speak: rungs too far apart, no round trip, chains gone non-finite.
 */
import t from 'tap'
import * as diagnostics from '../../../src/diagnostics/index.js'
import * as energy from '../../../src/energy/index.js'
import * as sampler from '../../../src/sampler/index.js'
import { samplerAddon } from '../../../src/sampler/native.js'
import { warmupPhases } from '../../../src/sampler/tempering/index.js'

const mixture = energy.gmm({ means: [[-5], [5]], sigma: 1, weights: [0.2, 0.8] })
// P(x > 0) = 0.2·Φ(−5) + 0.8·Φ(5) = 0.8 − 0.6·Φ(−5)
const truth = 0.8 - 0.6 * 2.866515718791939e-7
const kernelAt = (T: number) => sampler.mala({ stepSize: 1, temperature: T })
const chains = 16

// The indicator x > 0 of each chain's draws (one dimension): chains × draws.
const indicators = (draws: Float64Array, perChain: number): number[][] =>
  Array.from({ length: draws.length / perChain }, (_v, c) => Array.from(draws.subarray(c * perChain, (c + 1) * perChain), (x) => (x > 0 ? 1 : 0)))

const mean = (rows: number[][]): number => rows.flat().reduce((s, v) => s + v, 0) / rows.flat().length

t.test('MALA alone never crosses between the modes: each chain stays where it starts', async (t) => {
  const start = Float64Array.from({ length: chains }, (_v, c) => (c % 2 === 0 ? -5 : 5))
  const r = sampler.runner(mixture, kernelAt(1), { chains, init: start })
  const seen: number[][] = Array.from({ length: chains }, () => [])
  for (let k = 0; k < 40; k++) {
    await r.run({ seed: 4, from: 100 * k, to: 100 * (k + 1) })
    r.state.position.forEach((x, c) => seen[c].push(x > 0 ? 1 : 0))
  }
  const crossed = seen.filter((row, c) => row.some((v) => v !== (start[c] > 0 ? 1 : 0))).length
  t.equal(crossed, 0, 'no chain is ever seen in the other mode in 4000 steps')
  // Half the chains started in each mode, so the weight estimate is the starting split, 0.5, not 0.8;
  // the chains disagree completely, and R-hat says so.
  t.equal(mean(seen), 0.5)
  t.ok(diagnostics.rhat(seen) > 1.5, `R-hat ${diagnostics.rhat(seen)}`)
})

t.test('replica exchange started in the minor mode recovers the weights within 4·MCSE', async (t) => {
  const r = await sampler.temper(mixture, kernelAt, { ladder: { rungs: 8, max: 40 }, chains, steps: 2000, warmup: 1000, swapEvery: 2, seed: 1, init: new Float64Array(chains).fill(-5) })
  const rows = indicators(r.draws, r.drawsPerChain)
  const estimate = mean(rows)
  const mcse = diagnostics.mcseMean(rows)
  t.ok(Math.abs(estimate - truth) < 4 * mcse, `P(x > 0) = ${estimate} ± ${mcse} vs ${truth}`)
  t.ok(mcse < 0.02, `the MCSE ${mcse} is small enough for the test to mean something`)
  t.ok(diagnostics.rhat(rows) < 1.01, `R-hat ${diagnostics.rhat(rows)}`)
  t.ok(r.roundTrips > 0, `${r.roundTrips} round trips`)
  t.same(r.warnings, [])
  t.equal(r.temperatures[0], 1)
  t.equal(r.temperatures.at(-1), 40)
  t.equal(r.ladders.length, warmupPhases(500).length + 1, 'the start, and one ladder after each warmup phase')
  t.equal(r.rungs.length, 8)
  t.equal(r.rungs.at(-1)?.swapRate, null)
  t.ok(r.rungs.every((s) => s.acceptanceRate !== null && s.acceptanceRate > 0.5 && s.nonFinite === 0))
})

// A short run with every statistic in play (warmup, adaptation, thinning) to compare bit for bit.
const short = (o: Partial<sampler.TemperOptions>) =>
  sampler.temper(mixture, kernelAt, { ladder: { rungs: 4, max: 30 }, chains: 40, steps: 60, warmup: 40, swapEvery: 2, thin: 4, seed: 9, init: new Float64Array(40).fill(-5), ...o })

const maxRelative = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i])))
  return worst
}

t.test('the same seed gives the same run; another seed another', async (t) => {
  const [a, b, c] = [await short({ backend: 'reference' }), await short({ backend: 'reference' }), await short({ backend: 'reference', seed: 10 })]
  t.same(a.draws, b.draws)
  t.same(a.temperatures, b.temperatures)
  t.notSame(a.draws, c.draws)
})

const status = samplerAddon()
if (status.addon === undefined) {
  t.pass(`native tempering tests skipped: ${status.reason}`)
} else {
  t.test('native: the same bits on 1 and 3 threads', async (t) => {
    const [one, three] = [await short({ backend: 'native', threads: 1 }), await short({ backend: 'native', threads: 3 })]
    t.same(one.draws, three.draws)
    t.same(one.positions, three.positions)
    t.same(one.ladders, three.ladders)
    t.equal(one.roundTrips, three.roundTrips)
  })

  t.test('native follows the reference (float64, 1e-9): the same swaps, the same ladders', async (t) => {
    const [ref, nat] = [await short({ backend: 'reference' }), await short({ backend: 'native' })]
    t.ok(maxRelative(ref.draws, nat.draws) < 1e-9, `draws differ by ${maxRelative(ref.draws, nat.draws)}`)
    t.ok(maxRelative(ref.temperatures, nat.temperatures) < 1e-9)
    t.same(ref.swapRates, nat.swapRates)
    t.equal(ref.roundTrips, nat.roundTrips)
  })
}

t.test('warnings: rungs too far apart to swap, no round trip, chains gone non-finite', async (t) => {
  const e = energy.gaussian({ mean: [0, 0, 0, 0] })
  // The hot rung starts where it lives at T = 10⁴ (E ≈ 2·10⁴): a swap would cost e^(−2·10⁴).
  const init = Float64Array.from({ length: 2 * 8 * 4 }, (_v, i) => (i < 32 ? 0 : 100))
  const sparse = await sampler.temper(e, kernelAt, { ladder: [1, 1e4], chains: 8, steps: 40, seed: 3, backend: 'reference', init })
  t.same(sparse.warnings.map((w) => w.code), ['swap-rate', 'round-trips'])
  t.match(sparse.warnings[0]?.message, /T = 1\.00 ↔ 1\.00e\+4: 0\.0%/)
  // ULA at h = 5 on E = ‖x‖²/2 multiplies x by −4 a step: the hot rung diverges and its chains freeze.
  const diverging = (T: number) => sampler.ula({ stepSize: T > 1 ? 5 : 0.1, temperature: T })
  const r = await sampler.temper(e, diverging, { ladder: [1, 2], chains: 3, steps: 400, seed: 3, backend: 'reference', init: new Float64Array(12).fill(1) })
  const w = r.warnings.find((x) => x.code === 'non-finite')
  t.same([w?.count, w?.chains], [3, [0, 1, 2]])
  t.same(r.rungs.map((s) => s.nonFinite), [0, 3])
  t.ok(r.draws.every(Number.isFinite), 'the T = 1 chains never took a non-finite position')
})

t.test('float32 on the native loop follows float64 to float32 rounding (1e-4, the parity tolerance): the same swaps', { skip: status.addon === undefined }, async (t) => {
  const [f64, f32] = [await short({ backend: 'native' }), await short({ backend: 'native', dtype: 'float32' })]
  t.ok(maxRelative(f64.draws, f32.draws) < 1e-4, `draws differ by ${maxRelative(f64.draws, f32.draws)}`)
  t.ok(maxRelative(f64.temperatures, f32.temperatures) < 1e-4, `ladders differ by ${maxRelative(f64.temperatures, f32.temperatures)}`)
  t.same(f32.swapRates, f64.swapRates)
})

t.test('on a 2-D Gaussian (σ = 2 and 0.5) every rung samples N(0, T·Σ): HMC kernels, momenta kept by their rung', async (t) => {
  const e = energy.gaussian({ mean: [0, 0], precision: [[0.25, 0], [0, 4]] })
  const columns = 200
  const hmcAt = (T: number) => sampler.hmc({ stepSize: 0.3 * Math.sqrt(T), leapfrogSteps: 5, temperature: T })
  const r = await sampler.temper(e, hmcAt, { ladder: [1, 2.5, 6], chains: columns, steps: 400, swapEvery: 5, thin: 5, seed: 11, warmup: 100, adaptLadder: false })
  // The T = 1 draws: E[x₁²] = 4 and E[x₂²] = 0.25, MCSE from the chains' ESS.
  for (const [j, variance] of [[0, 4], [1, 0.25]]) {
    const rows = Array.from({ length: columns }, (_v, c) => Array.from({ length: r.drawsPerChain }, (_w, k) => r.draws[(c * r.drawsPerChain + k) * 2 + j] ** 2))
    const estimate = mean(rows)
    t.ok(Math.abs(estimate - variance) < 4 * diagnostics.mcseMean(rows), `T = 1, x${j + 1}: E[x²] = ${estimate} ± ${diagnostics.mcseMean(rows)} vs ${variance}`)
  }
  // Every rung's final positions, one independent draw per column: E[x²] = T·σ², standard error √2·T·σ²/√columns.
  r.temperatures.forEach((T, k) => {
    for (const [j, variance] of [[0, 4], [1, 0.25]]) {
      let s = 0
      for (let c = 0; c < columns; c++) s += r.positions[(k * columns + c) * 2 + j] ** 2
      const want = T * variance
      t.ok(Math.abs(s / columns - want) < (4 * Math.SQRT2 * want) / Math.sqrt(columns), `T = ${T}, x${j + 1}: ${s / columns} vs ${want}`)
    }
  })
})
