/**
 * The Ising model's critical point from Binder's cumulant U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²): below T_c it tends to
 * 2/3 (two ordered states), above it to 0 (Gaussian fluctuations), and at T_c it takes a value that hardly
 * depends on the lattice size, so the curves of different L cross there. A temperature scan with Wolff
 * clusters for L = 8, 16 and 32 prints U₄, the crossings of successive sizes (interpolated linearly), and
 * Onsager's exact T_c = 2/ln(1 + √2) ≈ 2.2692 to compare.
 *
 * Then, at T_c on the 32 × 32 lattice: the integrated autocorrelation time of |m| under the checkerboard
 * heat bath (in sweeps) and under Wolff (in steps, and in sweeps of work: a step flips one cluster of
 * ⟨|C|⟩ spins out of N): critical slowing down, and how clusters escape it.
 *
 * Run: npm run example examples/ising-binder.ts   (about four minutes on two shared cores with the native
 * addon: most of it the 32 × 32 lattice; HEATBATH_EXAMPLE_QUICK=1 runs a small version in seconds)
 */
import { ising, sampler } from '../src/index.js'

const quick = process.env.HEATBATH_EXAMPLE_QUICK === '1'
const sizes = quick ? [4, 8] : [8, 16, 32]
const temperatures = quick ? [2.2, 2.3] : [2.22, 2.24, 2.26, 2.28, 2.3]
const chains = quick ? 16 : 64
const sweeps = quick ? 50 : 1000

const binder: number[][] = []
console.log(`U₄ by temperature (Wolff, ${chains} chains × ${sweeps} steps after ${sweeps / 10} of burn-in)`)
console.log(`   T     ${sizes.map((L) => `L = ${L}`.padStart(8)).join('  ')}`)
for (const T of temperatures) {
  const row: number[] = []
  for (const L of sizes) {
    const series = await ising.measure(ising.lattice({ size: L }), sampler.wolff({ temperature: T }), { chains, sweeps, burnIn: sweeps / 10, temperature: T, seed: L, threads: 2 })
    row.push(ising.summarize(series).binder)
  }
  binder.push(row)
  console.log(`  ${T.toFixed(2)}   ${row.map((u) => u.toFixed(4).padStart(8)).join('  ')}`)
}

// Where U₄(L₂) − U₄(L₁) changes sign, interpolated linearly between the scanned temperatures.
for (let a = 0; a + 1 < sizes.length; a++) {
  const gap = binder.map((row) => row[a + 1] - row[a])
  const k = gap.findIndex((g, i) => i > 0 && gap[i - 1] > 0 && g <= 0)
  const crossing = k > 0 ? temperatures[k - 1] + ((temperatures[k] - temperatures[k - 1]) * gap[k - 1]) / (gap[k - 1] - gap[k]) : NaN
  const off = (100 * (crossing - ising.criticalTemperature)) / ising.criticalTemperature
  console.log(`L = ${sizes[a]} and ${sizes[a + 1]} cross at T = ${crossing.toFixed(4)} (${off >= 0 ? '+' : ''}${off.toFixed(2)}% from T_c)`)
}
console.log(`Onsager: T_c = 2/ln(1 + √2) = ${ising.criticalTemperature.toFixed(4)}`)

const L = sizes[sizes.length - 1]
const T = ising.criticalTemperature
const e = ising.lattice({ size: L })
const options = { chains: quick ? 8 : 32, sweeps: quick ? 100 : 2000, burnIn: quick ? 20 : 500, temperature: T, threads: 2 }
const heatBath = ising.summarize(await ising.measure(e, sampler.heatBath({ temperature: T, order: 'checkerboard' }), { ...options, seed: 1 }))
const wolffSeries = await ising.measure(e, sampler.wolff({ temperature: T }), { ...options, seed: 2 })
const wolff = ising.summarize(wolffSeries)
const work = wolffSeries.flipsPerStep / wolffSeries.size
console.log(`τ(|m|) at T_c on ${L} × ${L}: heat bath ${heatBath.tauAbsMagnetisation.toFixed(1)} sweeps; Wolff ${wolff.tauAbsMagnetisation.toFixed(2)} steps of ${wolffSeries.flipsPerStep.toFixed(0)} spins = ${(wolff.tauAbsMagnetisation * work).toFixed(2)} sweeps`)
