/**
 * Block Gibbs on a Gaussian–Bernoulli RBM's joint energy (domain 'mixed'): v | h ~ N(a + σWh, σ²T),
 * h | v Bernoulli. Exactness against the closed form of the joint's marginals, reference and native bit
 * for bit, the same bits on 1 and 2 threads, and a clear refusal of what does not fit.
 */
import t from 'tap'
import { pipe } from 'fp-ts/lib/function.js'
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import * as sampler from '../../src/sampler/index.js'

const V = 2
const H = 2
const sigma = 0.6
const T = 1.4
// Couplings strong enough that T moves every moment (P(h₁ = 1) is 0.640 at T = 1.4, 0.683 at T = 1).
const weights = [
  [2, -1.4],
  [0.8, 1.8],
]
const visibleBias = [0.3, -0.5]
const hiddenBias = [-1.5, 1.2]
const joint = energy.gaussianBipartite({ weights, visibleBias, hiddenBias, sigma })

/**
 * The joint's exact moments at temperature T: given h, v is N(μ_h, σ²T) with μ_h = a + σWh, and h has
 * weight ∝ exp(((‖μ_h‖² − ‖a‖²)/(2σ²) + bᵀh)/T) (the Gaussian's normaliser is the same for every h).
 */
export const exactMoments = (W: readonly (readonly number[])[], a: readonly number[], b: readonly number[], s: number, temperature: number) => {
  const [nv, nh] = [a.length, b.length]
  const mean = new Array<number>(nv).fill(0)
  const square = new Array<number>(nv).fill(0)
  const hidden = new Array<number>(nh).fill(0)
  let z = 0
  for (let h = 0; h < 2 ** nh; h++) {
    const bit = (j: number): number => (h >> j) & 1
    const mu = a.map((ai, i) => ai + s * W[i].reduce((acc, w, j) => acc + w * bit(j), 0))
    const lift = mu.reduce((acc, m, i) => acc + m * m - a[i] * a[i], 0) / (2 * s * s)
    const w = Math.exp((lift + b.reduce((acc, bj, j) => acc + bj * bit(j), 0)) / temperature)
    z += w
    mu.forEach((m, i) => {
      mean[i] += w * m
      square[i] += w * (m * m + s * s * temperature)
    })
    for (let j = 0; j < nh; j++) hidden[j] += w * bit(j)
  }
  return { mean: mean.map((m) => m / z), square: square.map((m) => m / z), hidden: hidden.map((m) => m / z) }
}

const nativeUnavailable = async (): Promise<string | undefined> => {
  try {
    await sampler.sample(joint, sampler.gibbs(), { chains: 1, steps: 1, seed: 0, backend: 'native' })
    return undefined
  } catch (e) {
    return (e as Error).message
  }
}

const average = (xs: readonly number[]): { mean: number; se: number } => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length
  const variance = xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1)
  return { mean: m, se: Math.sqrt(variance / xs.length) }
}

t.test('block Gibbs on a Gaussian–Bernoulli joint (σ = 0.6, T = 1.4) draws its exact moments: E[vᵢ], E[vᵢ²], P(hⱼ = 1) within 4 standard errors', async (t) => {
  const want = exactMoments(weights, visibleBias, hiddenBias, sigma, T)
  const chains = 16_000
  for (const backend of ['reference', 'native'] as const) {
    const skip = backend === 'native' ? await nativeUnavailable() : undefined
    if (skip !== undefined) {
      t.pass(`native skipped: ${skip}`)
      continue
    }
    // Independent chains, each 30 steps from zeros (the chain forgets its start within a few): the final
    // states are independent draws, so the standard error is the sample's sd / √chains.
    const r = await sampler.sample(joint, sampler.gibbs({ temperature: T }), { chains, steps: 30, seed: 11, backend })
    const x = r.positions
    const column = (i: number, f: (v: number) => number = (v) => v): number[] => Array.from({ length: chains }, (_, c) => f(x[c * (V + H) + i]))
    for (let i = 0; i < V; i++) {
      const m = average(column(i))
      t.ok(Math.abs(m.mean - want.mean[i]) < 4 * m.se, `${backend}: E[v${i}] ${m.mean} vs ${want.mean[i]} (se ${m.se})`)
      const q = average(column(i, (v) => v * v))
      t.ok(Math.abs(q.mean - want.square[i]) < 4 * q.se, `${backend}: E[v${i}²] ${q.mean} vs ${want.square[i]} (se ${q.se})`)
    }
    for (let j = 0; j < H; j++) {
      const p = average(column(V + j))
      t.ok(Math.abs(p.mean - want.hidden[j]) < 4 * p.se, `${backend}: P(h${j} = 1) ${p.mean} vs ${want.hidden[j]} (se ${p.se})`)
    }
  }
})

t.test('a tempered joint (scale 1/T) at temperature 1 draws what the joint draws at T', async (t) => {
  const tempered = pipe(joint, energy.temper(T))
  const chains = 4000
  const r = await sampler.sample(tempered, sampler.gibbs(), { chains, steps: 30, seed: 12, backend: 'reference' })
  const want = exactMoments(weights, visibleBias, hiddenBias, sigma, T)
  const q = average(Array.from({ length: chains }, (_, c) => r.positions[c * (V + H)] ** 2))
  t.ok(Math.abs(q.mean - want.square[0]) < 4 * q.se, `E[v0²] ${q.mean} vs ${want.square[0]} (se ${q.se})`)
})

t.test('reference and native give the same bits (float64), on 1 and 2 threads, in either order of the layers', async (t) => {
  const skip = await nativeUnavailable()
  if (skip !== undefined) return t.pass(`native skipped: ${skip}`)
  const init = Float64Array.from({ length: 300 * (V + H) }, (_, k) => (k % (V + H) < V ? Math.sin(k) : k % 2))
  for (const classes of [['hidden', 'visible'], ['visible', 'hidden'], ['visible']] as const) {
    const kernel = sampler.gibbs({ temperature: sampler.linear(2, 0.8, 6), classes: [...classes] })
    const options = { chains: 300, steps: 6, seed: 5, init }
    const ref = await sampler.sample(joint, kernel, { ...options, backend: 'reference' })
    const one = await sampler.sample(joint, kernel, { ...options, backend: 'native', threads: 1 })
    const two = await sampler.sample(joint, kernel, { ...options, backend: 'native', threads: 2 })
    t.ok(ref.positions.every((v, i) => Object.is(v, one.positions[i])), `${classes.join(', ')}: native = reference`)
    t.ok(one.positions.every((v, i) => Object.is(v, two.positions[i])), `${classes.join(', ')}: 1 thread = 2 threads`)
    const f32 = await sampler.sample(joint, kernel, { ...options, backend: 'native', dtype: 'float32' })
    const worst = ref.positions.reduce((m, v, i) => Math.max(m, Math.abs(v - f32.positions[i]) / Math.max(1, Math.abs(v))), 0)
    t.ok(worst < 1e-4, `${classes.join(', ')}: float32 within 1e-4 (${worst})`)
  }
})

t.test('what does not fit is refused by name', async (t) => {
  t.throws(() => sampler.flatten(sampler.heatBath(), V + H, sampler.targetOf(joint), 'sample: kernel'), {
    message: /^sample: kernel \(heatBath\): expected a block that draws Gaussian visible and binary hidden units for energy 'gaussianBipartite' of domain 'mixed' \(gibbs\), got "heatBath"$/,
  })
  t.throws(() => sampler.flatten(sampler.mala({ stepSize: 0.1 }), V + H, sampler.targetOf(joint), 'sample: kernel'), { message: /of domain 'mixed' \(gibbs\)/ })
  t.throws(() => energy.gaussianBipartite({ weights, sigma: 0 }), { name: 'RangeError', message: 'energy.gaussianBipartite: sigma: expected a positive number, got 0' })
  t.throws(() => energy.define({ name: 'x', shape: [2], params: {}, build: (x: ir.Expr) => ir.sum(x, 1), domain: 'mixed', structure: { kind: 'lattice', rows: 1, columns: 2, coupling: 1, field: 0 } } as never), {
    message: /structure.sigma: expected σ exactly when the domain is 'mixed'/,
  })
})
