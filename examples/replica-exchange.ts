/**
 * Replica exchange where one chain is stuck: the mixture 0.2·N(−5, 1) + 0.8·N(5, 1), modes 10σ apart,
 * every chain started in the minor mode at −5. MALA at T = 1 never leaves it (the weight of x > 0 comes
 * out 0); `sampler.temper` runs the same kernel on a ladder of temperatures up to 40, where the barrier is
 * low, and swaps carry the major mode down to T = 1. Printed: the weight of x > 0 with its MCSE and
 * R-hat for each, then the adapted ladder with its swap rates and round trips.
 *
 * Run: npm run example examples/replica-exchange.ts
 */
import { diagnostics, energy, sampler } from '../src/index.js'

const quick = process.env.HEATBATH_EXAMPLE_QUICK === '1'
const chains = 32
const [warmup, steps] = quick ? [500, 1000] : [2000, 8000]
const mixture = energy.gmm({ means: [[-5], [5]], sigma: 1, weights: [0.2, 0.8] })
const kernelAt = (T: number) => sampler.mala({ stepSize: 1, temperature: T })
const minor = new Float64Array(chains).fill(-5)

// The indicator x > 0 of each chain's draws (one dimension, perChain draws a chain).
const above = (draws: Float64Array, perChain: number): number[][] =>
  Array.from({ length: draws.length / perChain }, (_v, c) => Array.from(draws.subarray(c * perChain, (c + 1) * perChain), (x) => (x > 0 ? 1 : 0)))

const report = (name: string, rows: number[][]) => {
  const weight = rows.flat().reduce<number>((s, v) => s + v, 0) / rows.flat().length
  const moved = rows.some((r) => r.some((v) => v !== r[0]))
  const mcse = moved ? diagnostics.mcseMean(rows).toFixed(4) : '— (no chain ever crossed)'
  console.log(`${name.padEnd(18)} P(x > 0) = ${weight.toFixed(4)}   MCSE ${mcse}   R-hat ${moved ? diagnostics.rhat(rows).toFixed(3) : '—'}`)
}

// MALA alone: the same kernel at T = 1, draws every 2 steps after the warmup.
const r = sampler.runner(mixture, kernelAt(1), { chains, init: minor })
await r.run({ seed: 1, from: 0, to: warmup })
const perChain = steps / 2
const malaDraws = new Float64Array(chains * perChain)
for (let k = 0; k < perChain; k++) {
  await r.run({ seed: 1, from: warmup + 2 * k, to: warmup + 2 * (k + 1) })
  r.state.position.forEach((x, c) => (malaDraws[c * perChain + k] = x))
}
report('MALA', above(malaDraws, perChain))

const t = await sampler.temper(mixture, kernelAt, { ladder: { rungs: 8, max: 40 }, chains, warmup, steps, swapEvery: 2, seed: 1, init: minor })
report('replica exchange', above(t.draws, t.drawsPerChain))
console.log(`truth              P(x > 0) = ${(0.8 - 0.6 * 2.866515718791939e-7).toFixed(4)}`)
console.log('')
console.log(' rung   T        kernel acceptance   swap rate with the rung above')
t.rungs.forEach((s, i) => console.log(`${String(i).padStart(5)}   ${s.temperature.toFixed(2).padEnd(8)} ${(s.acceptanceRate ?? NaN).toFixed(3).padStart(17)}   ${s.swapRate === null ? '' : s.swapRate.toFixed(3).padStart(14)}`))
console.log(`barrier Λ = ${t.barrier.toFixed(2)}; round trips ${t.roundTrips} (${t.roundTripRate.toFixed(3)} per column per swap round, against 1/(2 + 2Λ) = ${(1 / (2 + 2 * t.barrier)).toFixed(3)})`)
