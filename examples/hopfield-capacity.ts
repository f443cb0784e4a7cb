/**
 * The capacity curve of the classic Hopfield network: the fraction of stored random patterns retrieved
 * (final overlap above 0.9 from a cue with 20% of its spins flipped, zero-temperature asynchronous
 * updates) against the load α = P/N, for N = 500 and 1,000, by Hebb's rule and by Storkey's. Hebb's
 * retrieval collapses near Amit, Gutfreund & Sompolinsky's α_c ≈ 0.138, more sharply at the larger N;
 * Storkey's rule holds more.
 *
 * Run: npm run example examples/hopfield-capacity.ts   (HEATBATH_EXAMPLE_QUICK=1: N = 500, three loads)
 */
import { hopfield } from '../src/index.js'

const quick = process.env.HEATBATH_EXAMPLE_QUICK === '1'
const sizes = quick ? [500] : [500, 1000]
const loads = quick ? [0.08, 0.14, 0.2] : [0.06, 0.08, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.22]
const cues = quick ? 20 : 100

/** The fraction retrieved at each (rule, N, α), as printed. */
export const curve: Record<string, number> = {}

console.log(`fraction of ${cues} cues retrieved (20% flipped, overlap > 0.9)`)
console.log(['α', ...(['hebb', 'storkey'] as const).flatMap((rule) => sizes.map((N) => `${rule} N=${N}`))].map((s) => s.padStart(15)).join(''))
for (const alpha of loads) {
  const row = [alpha.toFixed(2)]
  for (const rule of ['hebb', 'storkey'] as const) {
    for (const N of sizes) {
      const P = Math.round(alpha * N)
      const r = await hopfield.retrievalRate({ units: N, patterns: P, rule, cues: Math.min(cues, P), seed: 1 })
      curve[`${rule} ${N} ${alpha}`] = r.fraction
      row.push(r.fraction.toFixed(2))
    }
  }
  console.log(row.map((s) => s.padStart(15)).join(''))
}
