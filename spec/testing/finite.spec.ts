/**
 * checkInvariance and checkDetailedBalance on finite spaces: correct kernels pass, broken ones fail, bad
 * input is refused; and the power study: Gibbs that skips a site (spec/testing/planted-discrete.ts) and a
 * user's heat bath at T/2 are caught in at least 99% of 200 seeds, and correct kernels, held to their
 * definitions or tested from draws of π, fail in at most 1% of 1000 seeds (within 4 standard errors):
 * every test is exact, a Monte Carlo p-value from draws of its null law.
 *
 * Sizes: an RBM's joint energy of 3 visible units and 1 hidden unit (16 states) or a Boltzmann machine
 * of 3 binary units (8 states) at T = 1.3, 200 chains one step from each state (25 for the false alarms),
 * false-alarm rate 0.01, 999 draws of the null, on the reference runner.
 */
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as sampler from '../../src/sampler/index.js'
import * as testing from '../../src/testing/index.js'
import * as planted from './planted-discrete.js'

const T = 1.3
const rbm = energy.bipartite({ weights: [[0.9], [-0.7], [0.6]], visibleBias: [0.2, -0.3, 0.1], hiddenBias: [0.4] })
const bm = energy.boltzmann({ weights: [[0, 0.6, -0.9], [0.6, 0, 0.5], [-0.9, 0.5, 0]], bias: [0.3, -0.4, 0.1], domain: 'binary' })
const sizes = { replicas: 200, falseAlarm: 0.01, backend: 'reference' } as const
const seeds = 200

t.test('package kernels are held to their exact matrices; a sequential sweep keeps π but is not reversible', async (t) => {
  const hb = await testing.checkInvariance(bm, sampler.heatBath({ temperature: T }), { ...sizes, seed: 1 })
  t.ok(hb.passed, hb.message)
  t.equal(hb.parts?.length, 3)
  t.ok((await testing.checkDetailedBalance(bm, sampler.metropolisFlips({ temperature: T }), { ...sizes, seed: 2 })).passed)
  const sweep = sampler.heatBath({ temperature: T, order: 'sequential' })
  t.ok((await testing.checkInvariance(bm, sweep, { ...sizes, seed: 3 })).passed)
  const db = await testing.checkDetailedBalance(bm, sweep, { ...sizes, seed: 3 })
  t.notOk(db.passed)
  t.match(db.message, /detailed balance of the exact matrix .* reproduce with the options \{ seed: 3, replicas: 200, temperature: 1.3, falseAlarm: 0.01, simulations: 999, backend: "reference" \}/)
})

t.test('a kernel held to the wrong definition fails by χ²: a heat bath at T/2 against one at T', async (t) => {
  const r = await testing.checkInvariance(bm, sampler.heatBath({ temperature: T / 2 }), { ...sizes, seed: 4, definition: sampler.heatBath({ temperature: T }) })
  t.notOk(r.passed, r.message)
  t.match(r.parts?.[0].name, /χ²/)
  // 10 chains a state: every move of the heat bath is expected fewer than 5 draws, and pooled into one cell
  // a row would test nothing (χ² 0 whatever the kernel did); the Monte Carlo p-value needs no 5, so each
  // row keeps two cells, its likeliest move and the rest
  const few = await testing.checkInvariance(bm, sampler.heatBath({ temperature: T }), { ...sizes, replicas: 10, seed: 4 })
  t.ok(few.passed, few.message)
  t.match(few.message, /Pearson's χ² over 16 cells of 8 rows/)
})

t.test("a user's block without a definition: chains from draws of π, exact tests of their end states and moves", async (t) => {
  const right = planted.userHeatBath({ temperature: T })
  t.ok((await testing.checkInvariance(bm, right, { ...sizes, seed: 5 })).passed)
  t.ok((await testing.checkDetailedBalance(bm, right, { ...sizes, seed: 5 })).passed)
  const wrong = planted.userHeatBath({ temperature: T, scale: 0.5 })
  const invariance = await testing.checkInvariance(bm, wrong, { ...sizes, seed: 6 })
  t.notOk(invariance.passed)
  t.match(invariance.message, /end states of chains started at draws of π, against π \(Pearson's χ² over 8 states, Monte Carlo p-value of 999 draws of the null\); worst state \[/)
  t.match(invariance.message, /reproduce with the options \{ seed: 6, replicas: 200, temperature: 1.3, falseAlarm: 0.01, simulations: 999, backend: "reference" \}/)
  const balance = await testing.checkDetailedBalance(bm, wrong, { ...sizes, seed: 6 })
  t.notOk(balance.passed)
  t.match(balance.message, /Bowker's χ² over \d+ pairs of states/)
})

t.test('Gibbs that skips a site keeps π: only its definition catches it', async (t) => {
  const skipping = planted.gibbsSkippingASite({ temperature: T })
  t.ok((await testing.checkInvariance(rbm, skipping, { ...sizes, seed: 7 })).passed, 'every update it does is a heat-bath update')
  const r = await testing.checkInvariance(rbm, skipping, { ...sizes, seed: 7, definition: sampler.gibbs({ temperature: T }) })
  t.notOk(r.passed)
  t.match(r.message, /one-step transitions against 'gibbs'/)
})

t.test('the χ² tail against tabulated quantiles', async (t) => {
  // χ²₀.₉₅ and χ²₀.₉₉₉ quantiles of 1, 10 and 100 degrees of freedom
  const table: [number, number, number][] = [[3.841459, 1, 0.05], [18.30704, 10, 0.05], [124.3421, 100, 0.05], [10.82757, 1, 0.001], [29.5883, 10, 0.001], [149.4493, 100, 0.001]]
  for (const [x, df, p] of table) t.ok(Math.abs(testing.chiSquareTail(x, df) / p - 1) < 1e-5, `P(χ²(${df}) ≥ ${x}) = ${testing.chiSquareTail(x, df)}`)
  t.equal(testing.chiSquareTail(5, 0), 1)
})

t.test('bad input is refused with a clear error', async (t) => {
  const big = energy.boltzmann({ weights: Array.from({ length: 11 }, () => new Array<number>(11).fill(0)) })
  await t.rejects(testing.checkInvariance(big, sampler.heatBath({ temperature: T })), { name: 'RangeError', message: 'checkInvariance: energy: units: expected at most 10 (2^10 states to enumerate), got 11' })
  const gaussian = energy.quadratic({ center: [0, 0] })
  await t.rejects(testing.checkDetailedBalance(gaussian, sampler.mala({ stepSize: 0.1 }), { temperature: 1 }), { name: 'RangeError', message: /checkDetailedBalance: energy: domain: expected 'binary' or 'spins'/ })
  await t.rejects(testing.checkInvariance(bm, sampler.descent()), { name: 'RangeError', message: /checkInvariance: temperature: expected a positive temperature/ })
  await t.rejects(testing.checkInvariance(bm, sampler.heatBath({ temperature: T }), { replicas: 5 }), { name: 'RangeError', message: 'checkInvariance: replicas: expected an integer ≥ 10, got 5' })
  await t.rejects(testing.checkInvariance(bm, sampler.heatBath({ temperature: T }), { definition: sampler.mala({ stepSize: 0.1 }) }), { name: 'RangeError', message: /checkInvariance: definition: expected a kernel of the package's discrete blocks/ })
  await t.rejects(testing.checkInvariance(bm, { type: 'teleport' } as never), { name: 'TypeError', message: /checkInvariance: kernel: expected a sampler kernel/ })
  // 99 draws of the null cannot give a Monte Carlo p-value below 0.01: no kernel could fail, with a definition or without
  for (const kernel of [planted.userHeatBath({ temperature: T }), sampler.heatBath({ temperature: T })]) {
    await t.rejects(testing.checkInvariance(bm, kernel, { simulations: 99 }), { name: 'RangeError', message: 'checkInvariance: simulations: expected an integer ≥ 100, got 99' })
  }
})

/** How many of the seeds 0 … 199 fail the check. */
const failures = async (check: typeof testing.checkInvariance, e: energy.Energy, kernel: sampler.Kernel, definition?: sampler.Kernel): Promise<number> => {
  let failed = 0
  for (let seed = 0; seed < seeds; seed++) if (!(await check(e, kernel, { ...sizes, seed, ...(definition === undefined ? {} : { definition }) })).passed) failed++
  return failed
}

t.test('power: Gibbs that skips a site is caught in at least 99% of 200 seeds', async (t) => {
  const caught = await failures(testing.checkInvariance, rbm, planted.gibbsSkippingASite({ temperature: T }), sampler.gibbs({ temperature: T }))
  t.ok(caught >= 0.99 * seeds, `caught in ${caught} of ${seeds}`)
})

t.test("power without a definition: a user's heat bath at T/2 is caught by the exact test of its end states (checkInvariance) in at least 99% of 200 seeds", async (t) => {
  const caught = await failures(testing.checkInvariance, bm, planted.userHeatBath({ temperature: T, scale: 0.5 }))
  t.ok(caught >= 0.99 * seeds, `caught in ${caught} of ${seeds}`)
})

/**
 * Every test of the checks is exact: with a definition each row's counts are Multinomial(replicas, Pᵢ)
 * under the null, without one the end states are draws of π and the moves between two states go either
 * way alike, and Monte Carlo p-values of draws of those laws are valid at any size (Besag and Clifford),
 * so a correct kernel fails in at most α = 1% of seeds. Over 1000 seeds the standard error of the rate is
 * √(0.01·0.99/1000) ≈ 0.0031. Small sizes (25 chains per state) keep it to a few seconds, and are where
 * the asymptotic χ² law is furthest from the statistic's.
 */
t.test('false alarms of the exact tests: correct kernels, with a definition and without, fail in at most 1% of 1000 seeds, within 4 standard errors', async (t) => {
  const many = 1000
  const most = many * (0.01 + 4 * Math.sqrt((0.01 * 0.99) / many))
  const right = planted.userHeatBath({ temperature: T })
  const correct: [string, typeof testing.checkInvariance, energy.Energy, sampler.Kernel][] = [
    ['block Gibbs, checkInvariance against its matrix', testing.checkInvariance, rbm, sampler.gibbs({ temperature: T })],
    ['Metropolis flips, checkDetailedBalance against its matrix', testing.checkDetailedBalance, bm, sampler.metropolisFlips({ temperature: T })],
    ["a user's heat bath, checkInvariance from draws of π", testing.checkInvariance, bm, right],
    ["a user's heat bath, checkDetailedBalance from draws of π", testing.checkDetailedBalance, bm, right],
  ]
  for (const [name, check, e, kernel] of correct) {
    let failed = 0
    for (let seed = 0; seed < many; seed++) if (!(await check(e, kernel, { replicas: 25, seed, backend: 'reference' })).passed) failed++
    t.ok(failed <= most, `${name}: ${failed} false alarms in ${many} (at most ${most.toFixed(1)})`)
  }
})
