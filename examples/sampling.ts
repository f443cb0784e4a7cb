/**
 * Sampling: MALA and HMC on the double well E(x) = x₀⁴ − 2x₀² + ½x₁² at temperature T = 0.8, their
 * moments printed beside the exact ones from the normalised density on a grid.
 *
 * Every chain starts in the right-hand well at (1, 0), so E[x₀] = 0 needs the chains to cross the barrier
 * (height 1, i.e. 1.25 T). The chains are independent, so the standard error of a moment is the standard
 * deviation of the chains' values over √chains; the last column says how many standard errors the
 * estimate is from the exact value (beyond 4 it would be a bug, not chance).
 *
 * Run: npm run example examples/sampling.ts
 */
import { pipe } from 'fp-ts/lib/function.js'
import { energy, grid, sampler } from '../src/index.js'

const T = 0.8
const well = energy.doubleWell({ dim: 2 })
const chains = 2000
const init = Array.from({ length: chains }, () => [1, 0]).flat()

const samplers: [string, sampler.Kernel][] = [
  ['MALA', sampler.mala({ stepSize: 0.05, temperature: T })],
  ['HMC', sampler.hmc({ stepSize: 0.2, leapfrogSteps: 5, temperature: T })],
]
const moments: [string, (x: readonly number[]) => number][] = [
  ['E[x₀]', ([x0]) => x0],
  ['E[x₀²]', ([x0]) => x0 ** 2],
  ['E[x₀⁴]', ([x0]) => x0 ** 4],
  ['E[x₁²]', ([, x1]) => x1 ** 2],
]

const exact = grid.tabulate(pipe(well, energy.temper(T)), { bounds: [[-3, 3], [-4, 4]], n: 400 })

/** The mean of f over the chains' final positions, and its standard error. */
const estimate = (positions: Float64Array, f: (x: readonly number[]) => number): [number, number] => {
  const values = Array.from({ length: chains }, (_, c) => f([positions[2 * c], positions[2 * c + 1]]))
  const mean = values.reduce((s, v) => s + v, 0) / chains
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (chains - 1)
  return [mean, Math.sqrt(variance / chains)]
}

console.log(`p ∝ exp(−E/T), E = x₀⁴ − 2x₀² + ½x₁², T = ${T}: ${chains} chains from (1, 0), 500 steps each`)
console.log('sampler  moment    exact    estimate ± s.e.    (estimate − exact)/s.e.')
for (const [i, [name, kernel]] of samplers.entries()) {
  const run = await sampler.sample(well, kernel, { chains, steps: 500, seed: 11 + i, init })
  for (const [moment, f] of moments) {
    const want = grid.expectation(exact, f)
    const [mean, se] = estimate(run.positions, f)
    console.log(`${name.padEnd(7)}  ${moment.padEnd(7)} ${want.toFixed(4).padStart(7)}   ${mean.toFixed(4).padStart(7)} ± ${se.toFixed(4)}   ${((mean - want) / se).toFixed(2).padStart(6)}`)
  }
  console.log(`${name.padEnd(7)}  acceptance rate ${run.statistics.acceptanceRate?.toFixed(3)}`)
}
