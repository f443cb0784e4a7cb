/**
 * The Ising model against its exact moments on a 4 × 4 lattice (2^16 configurations enumerated), the
 * Binder crossing against Onsager's critical temperature, and Wolff's autocorrelation time against the
 * heat bath's at T_c.
 */
import t from 'tap'
import { ising } from '../../src/index.js'
import * as sampler from '../../src/sampler/index.js'
import { samplerAddon } from '../../src/sampler/native.js'

// A derived observable's standard error from independent groups of chains: the sd of its value over the
// groups, divided by √groups (chains are independent, so the groups are).
const grouped = (series: ising.IsingSeries, groups: number, f: (s: ising.IsingSummary) => number): { value: number; se: number } => {
  const per = series.magnetisation.length / groups
  const values = Array.from({ length: groups }, (_v, g) => {
    const pick = <A>(a: readonly A[]) => a.slice(g * per, (g + 1) * per)
    return f(ising.summarize({ ...series, magnetisation: pick(series.magnetisation), energy: pick(series.energy) }))
  })
  const value = f(ising.summarize(series))
  const m = values.reduce((a, b) => a + b, 0) / groups
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (groups - 1))
  return { value, se: sd / Math.sqrt(groups) }
}

const binderOf = (m: ising.IsingMoments): number => 1 - m.magnetisation4 / (3 * m.magnetisation2 ** 2)

t.test('on a 4 × 4 lattice every kernel gives the exact ⟨e⟩, ⟨|m|⟩ and U₄ within 4 standard errors', async (t) => {
  const cases = [
    { coupling: 1, field: 0, T: 2.5 }, // the check
    { coupling: 0.7, field: 0.15, T: 1.8 }, // away from J = 1, h = 0
  ]
  for (const { coupling, field, T } of cases) {
    const e = ising.lattice({ size: 4, coupling, field })
    const exact = ising.exactMoments({ size: 4, coupling, field, temperature: T })
    const kernels = [
      sampler.heatBath({ temperature: T, order: 'checkerboard' }),
      sampler.heatBath({ temperature: T, order: 'sequential' }),
      sampler.metropolisFlips({ temperature: T }),
      sampler.wolff({ temperature: T }),
    ]
    for (const k of kernels) {
      const series = await ising.measure(e, k, { chains: 160, sweeps: 250, burnIn: 50, temperature: T, seed: 41 })
      const s = ising.summarize(series)
      const what = `${k.type} ${'order' in k ? k.order : ''} at J = ${coupling}, h = ${field}, T = ${T}`
      t.ok(Math.abs(s.energy.value - exact.energy) < 4 * s.energy.mcse, `${what}: ⟨e⟩ ${s.energy.value.toFixed(4)} ± ${s.energy.mcse.toFixed(4)} vs ${exact.energy.toFixed(4)}`)
      t.ok(Math.abs(s.absMagnetisation.value - exact.absMagnetisation) < 4 * s.absMagnetisation.mcse, `${what}: ⟨|m|⟩ ${s.absMagnetisation.value.toFixed(4)} ± ${s.absMagnetisation.mcse.toFixed(4)} vs ${exact.absMagnetisation.toFixed(4)}`)
      const u = grouped(series, 16, (x) => x.binder)
      t.ok(Math.abs(u.value - binderOf(exact)) < 4 * u.se, `${what}: U₄ ${u.value.toFixed(4)} ± ${u.se.toFixed(4)} vs ${binderOf(exact).toFixed(4)}`)
    }
  }
})

t.test('the observables follow their definitions from the moments', async (t) => {
  const magnetisation = [Float64Array.from([0.5, -0.25, 1, -0.5])]
  const energy = [Float64Array.from([-1, -1.5, -2, -1.25])]
  const s = ising.summarize({ magnetisation, energy, flipsPerStep: 3, size: 16, temperature: 2.5 })
  const m2 = (0.25 + 0.0625 + 1 + 0.25) / 4
  const m4 = (0.0625 + 0.00390625 + 1 + 0.0625) / 4
  const abs = (0.5 + 0.25 + 1 + 0.5) / 4
  const e = -5.75 / 4
  const e2 = (1 + 2.25 + 4 + 1.5625) / 4
  t.equal(s.binder, 1 - m4 / (3 * m2 * m2))
  t.ok(Math.abs(s.susceptibility - (16 * (m2 - abs * abs)) / 2.5) < 1e-12, 'χ = N(⟨m²⟩ − ⟨|m|⟩²)/T')
  t.ok(Math.abs(s.specificHeat - (16 * (e2 - e * e)) / 6.25) < 1e-12, 'C = N(⟨e²⟩ − ⟨e⟩²)/T²')
})

const native = samplerAddon().addon !== undefined

// Budget: 2 lattices × 4 temperatures × 96 chains × 1,500 Wolff steps (about 20 s on one core).
t.test('Binder cumulants of L = 8 and 16 cross within 1% of Onsager’s T_c = 2/ln(1 + √2)', { skip: native ? false : 'needs the native addon (the budget assumes it)' }, async (t) => {
  const temperatures = [2.22, 2.25, 2.28, 2.31]
  const binder = async (L: number, T: number) =>
    ising.summarize(await ising.measure(ising.lattice({ size: L }), sampler.wolff({ temperature: T }), { chains: 96, sweeps: 1500, burnIn: 100, temperature: T, seed: 2269 + L, threads: 2 })).binder
  const gaps: number[] = []
  for (const T of temperatures) gaps.push((await binder(16, T)) - (await binder(8, T)))
  const k = gaps.findIndex((g, i) => i > 0 && gaps[i - 1] > 0 && g <= 0)
  t.ok(k > 0, `U₄(16) − U₄(8) changes sign once over ${temperatures.join(', ')}: ${gaps.map((g) => g.toFixed(4)).join(', ')}`)
  const crossing = temperatures[k - 1] + ((temperatures[k] - temperatures[k - 1]) * gaps[k - 1]) / (gaps[k - 1] - gaps[k])
  t.ok(Math.abs(crossing - ising.criticalTemperature) < 0.01 * ising.criticalTemperature, `crossing at T = ${crossing.toFixed(4)} (T_c = ${ising.criticalTemperature.toFixed(4)})`)
})

// At T_c a heat-bath sweep decorrelates a 16 × 16 lattice slowly (τ grows as L^2.17); Wolff's clusters
// span it. Compared per unit of work: a Wolff step flips ⟨|C|⟩ of the N spins a sweep visits.
t.test("Wolff's integrated autocorrelation time of |m| at T_c is a fraction of the heat bath's", { skip: native ? false : 'needs the native addon' }, async (t) => {
  const T = ising.criticalTemperature
  const e = ising.lattice({ size: 16 })
  const options = { chains: 48, sweeps: 2000, burnIn: 200, temperature: T, threads: 2 }
  const hb = await ising.measure(e, sampler.heatBath({ temperature: T, order: 'checkerboard' }), { ...options, seed: 1 })
  const wolff = await ising.measure(e, sampler.wolff({ temperature: T }), { ...options, seed: 2 })
  const tauHeatBath = ising.summarize(hb).tauAbsMagnetisation
  const tauWolff = (ising.summarize(wolff).tauAbsMagnetisation * wolff.flipsPerStep) / wolff.size // in sweeps
  t.ok(tauWolff * 5 < tauHeatBath, `τ(|m|): Wolff ${tauWolff.toFixed(2)} sweeps (${wolff.flipsPerStep.toFixed(0)} spins a cluster), heat bath ${tauHeatBath.toFixed(1)} sweeps`)
})

t.test('bad input gets an error naming what is wrong', async (t) => {
  t.throws(() => ising.lattice({ size: 1 }), { name: 'RangeError', message: 'ising.lattice: size: expected an integer in [2, 46340], got 1' })
  t.throws(() => ising.lattice({ size: 4, coupling: NaN }), { name: 'RangeError', message: 'ising.lattice: coupling: expected a finite number, got NaN' })
  t.throws(() => ising.exactMoments({ size: 5, temperature: 2 }), { name: 'RangeError', message: 'ising.exactMoments: size: expected at most 4 (2^(L²) configurations are enumerated), got 5' })
  t.throws(() => ising.exactMoments({ size: 4, temperature: 0 }), { name: 'RangeError', message: 'ising.exactMoments: temperature: expected a positive number, got 0' })
  const boltzmann = (await import('../../src/energy/index.js')).boltzmann({ weights: [[0, 1], [1, 0]] })
  await t.rejects(ising.measure(boltzmann, sampler.heatBath(), { chains: 2, sweeps: 4, temperature: 1 }), { name: 'RangeError', message: "ising.measure: energy: expected an Ising lattice (ising.lattice), got \"energy 'boltzmann'\"" })
  await t.rejects(ising.measure(ising.lattice({ size: 2 }), sampler.heatBath(), { chains: 2, sweeps: 3, temperature: 1 }), { name: 'RangeError', message: 'ising.measure: sweeps: expected an integer ≥ 4, got 3' })
  await t.rejects(ising.measure(ising.lattice({ size: 3 }), sampler.heatBath({ order: 'checkerboard' }), { chains: 2, sweeps: 4, temperature: 1 }), { name: 'RangeError', message: /^heatBath: order 'checkerboard': expected a lattice of even sides/ })
  await t.rejects(ising.measure(ising.lattice({ size: 2 }), sampler.heatBath(), { chains: 1, sweeps: 4, temperature: 1, init: [1, 1, 0, 1] }), { name: 'RangeError', message: "ising.measure: init[2]: expected a spin (−1 or +1) for energy 'ising' (domain 'spins'), got 0" })
})
