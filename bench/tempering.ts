/**
 * Replica exchange against plain MALA on the 1-D mixture 0.2·N(−s/2, 1) + 0.8·N(s/2, 1), modes s σ apart
 * (s = 4, 6, 10): effective samples per second of the weight P(x > 0) (bulk ESS of the indicator, over
 * chains), the estimate and its error in MCSEs. Both start every chain in the minor mode and run the same
 * chain-steps: MALA on rungs × chains chains, `temper` on `chains` chains at each of its rungs (ladder
 * from 1 to s²/2.5, adapted during warmup). Rounds alternate the two, and the table gives medians over
 * rounds (HEATBATH_BENCH_ROUNDS, default 3).
 *
 *   npx tsx bench/tempering.ts
 */
import * as diagnostics from '../src/diagnostics/index.js'
import * as energy from '../src/energy/index.js'
import * as sampler from '../src/sampler/index.js'

const rounds = Number(process.env.HEATBATH_BENCH_ROUNDS ?? 3)
const rungs = 8
const chains = 64
const warmup = 1000
const steps = 5000
const every = 5
const kernelAt = (T: number) => sampler.mala({ stepSize: 1, temperature: T })

// Φ(−z) for the truth: the complementary error function by its continued fraction is overkill; erfc via
// Abramowitz & Stegun 7.1.26 is within 1.5e-7, far below every MCSE here.
const normalTail = (z: number): number => {
  const x = z / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  return (t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x)) / 2
}

interface Measured {
  readonly seconds: number
  readonly estimate: number
  readonly ess: number
  readonly mcse: number
  readonly rhat: number
}

// Indicator chains from draws [chains × perChain] of one dimension.
const measure = (draws: Float64Array, perChain: number, seconds: number): Measured => {
  const rows = Array.from({ length: draws.length / perChain }, (_v, c) => Array.from(draws.subarray(c * perChain, (c + 1) * perChain), (x) => (x > 0 ? 1 : 0)))
  const estimate = rows.flat().reduce<number>((s, v) => s + v, 0) / (rows.length * perChain)
  const constant = rows.every((r) => r.every((v) => v === r[0]))
  // Chains that never change have no ESS to speak of: the estimate is their starting split.
  return { seconds, estimate, ess: constant ? 0 : diagnostics.essBulk(rows), mcse: constant ? NaN : diagnostics.mcseMean(rows), rhat: diagnostics.rhat(rows) }
}

const mala = async (e: energy.Energy, minor: number): Promise<Measured> => {
  const n = rungs * chains
  const r = sampler.runner(e, kernelAt(1), { chains: n, init: new Float64Array(n).fill(minor) })
  const started = performance.now()
  await r.run({ seed: 1, from: 0, to: warmup })
  const perChain = steps / every
  const draws = new Float64Array(n * perChain)
  for (let k = 0; k < perChain; k++) {
    await r.run({ seed: 1, from: warmup + k * every, to: warmup + (k + 1) * every })
    r.state.position.forEach((x, c) => (draws[c * perChain + k] = x))
  }
  return measure(draws, perChain, (performance.now() - started) / 1000)
}

const tempered = async (e: energy.Energy, minor: number, max: number): Promise<Measured & { readonly ladder: readonly number[]; readonly swap: number; readonly trips: number }> => {
  const started = performance.now()
  const r = await sampler.temper(e, kernelAt, { ladder: { rungs, max }, chains, steps, warmup, swapEvery: every, seed: 1, init: new Float64Array(chains).fill(minor) })
  const m = measure(r.draws, r.drawsPerChain, (performance.now() - started) / 1000)
  return { ...m, ladder: r.temperatures, swap: Math.min(...r.swapRates), trips: r.roundTripRate }
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '—')

console.log(`| modes apart | MALA: P(x > 0) | MALA R-hat | MALA ESS/s | tempering: P(x > 0) ± MCSE | error / MCSE | tempering R-hat | tempering ESS/s | ESS/s ratio | lowest swap rate | round trips per column per swap |`)
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
for (const apart of [4, 6, 10]) {
  const e = energy.gmm({ means: [[-apart / 2], [apart / 2]], sigma: 1, weights: [0.2, 0.8] })
  const truth = 0.8 - 0.6 * normalTail(apart / 2)
  const ours: Awaited<ReturnType<typeof tempered>>[] = []
  const theirs: Measured[] = []
  for (let k = 0; k < rounds; k++) {
    // Alternate which goes first, so neither always meets the machine's quieter moments.
    if (k % 2 === 0) {
      theirs.push(await mala(e, -apart / 2))
      ours.push(await tempered(e, -apart / 2, apart ** 2 / 2.5))
    } else {
      ours.push(await tempered(e, -apart / 2, apart ** 2 / 2.5))
      theirs.push(await mala(e, -apart / 2))
    }
  }
  const rate = (m: Measured) => m.ess / m.seconds
  const t = ours[0]
  const ratio = median(ours.map((o, i) => (rate(theirs[i]) > 0 ? rate(o) / rate(theirs[i]) : Infinity)))
  console.log(
    `| ${apart}σ | ${f(theirs[0].estimate, 3)} | ${f(theirs[0].rhat, 3)} | ${f(median(theirs.map(rate)), 0)} | ${f(t.estimate, 3)} ± ${f(t.mcse, 3)} | ${f(Math.abs(t.estimate - truth) / t.mcse, 2)} | ${f(t.rhat, 3)} | ${f(median(ours.map(rate)), 0)} | ${Number.isFinite(ratio) ? `${f(ratio, 2)}×` : 'MALA never crosses'} | ${f(t.swap, 2)} | ${f(t.trips, 3)} |`,
  )
  console.error(`${apart}σ: seconds MALA ${theirs.map((m) => f(m.seconds, 2)).join(' ')}, tempering ${ours.map((m) => f(m.seconds, 2)).join(' ')}; ladder ${t.ladder.map((T) => T.toFixed(2)).join(' ')}`)
}
