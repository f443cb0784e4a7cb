/**
 * Score matching on a Gaussian: fitting E(x) = ½(x − μ)ᵀM(x − μ) without negatives and without log Z.
 *
 * - exact (Hyvärinen 2005): mean ½‖∇ₓE‖² − tr ∇²ₓE. For a Gaussian family its minimiser is closed form:
 *   μ = the sample mean and M = S⁻¹, the inverse of the sample covariance (divided by n).
 * - sliced (Song et al. 2019): the trace replaced by vᵀ∇²ₓE v with v ~ N(0, I), equal in expectation, so it
 *   finds S⁻¹ up to the noise of its projections.
 * - denoising (Vincent 2011): match −∇ₓE(x + σε) to −ε/σ. It fits the score of the data blurred by
 *   N(0, σ²I), not of the data: M = (S + σ²I)⁻¹. On isotropic data of variance s², E = a‖x‖²/2 is fitted at
 *   a = 1/(s² + σ²) instead of 1/s²: the denoising bias, which vanishes only as σ → 0.
 *
 * Run: npm run example examples/score-matching.ts
 */
import { energy, ir, rng, sampler, train } from '../src/index.js'

const quick = process.env.HEATBATH_EXAMPLE_QUICK === '1'
const steps = quick ? 150 : 600
const n = 4000

// E = ½(x − μ)ᵀM(x − μ) with M = (A + Aᵀ)/2, A from the identity and μ from 0.
const fullGaussian = energy.define({
  name: 'fullGaussian',
  shape: [2],
  params: { A: { shape: [2, 2], init: { kind: 'values', values: [1, 0, 0, 1] } }, mu: { shape: [2], init: { kind: 'zeros' } } },
  build: (x, p) => {
    const r = ir.sub(x, p.mu)
    return ir.mul(ir.sum(ir.mul(r, ir.matmul(r, ir.mul(ir.add(p.A, ir.transpose(p.A)), 0.5))), 1), 0.5)
  },
})

// N(m, LLᵀ) with m = (1, −0.5), L = [[1.2, 0], [0.5, 0.7]]: covariance [[1.44, 0.6], [0.6, 0.74]].
const z = rng.normals(1, 0, 0, 2 * n)
const data = Float64Array.from({ length: 2 * n }, (_v, i) => (i % 2 === 0 ? 1 + 1.2 * z[i] : -0.5 + 0.5 * z[i - 1] + 0.7 * z[i]))
const mean = [0, 1].map((a) => data.reduce((s, v, i) => (i % 2 === a ? s + v : s), 0) / n)
const covariance = [0, 1].map((a) => [0, 1].map((b) => {
  let s = 0
  for (let i = 0; i < n; i++) s += (data[2 * i + a] - mean[a]) * (data[2 * i + b] - mean[b])
  return s / n
}))
const inverse = ([[a, b], [c, d]]: number[][]) => [[d, -b], [-c, a]].map((row) => row.map((v) => v / (a * d - b * c)))
const blurred = (sigma: number) => inverse(covariance.map((row, a) => row.map((v, b) => v + (a === b ? sigma * sigma : 0))))
const show = (m: readonly (readonly number[])[]) => `[[${m[0].map((v) => v.toFixed(3)).join(', ')}], [${m[1].map((v) => v.toFixed(3)).join(', ')}]]`
const largest = (a: number[][], b: number[][]) => Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i][j]))))

const fit = async (objective: train.Objective, e: energy.Energy) =>
  (await train.fit(e, data, { objective, optimizer: train.adam({ lr: sampler.cosine(0.05, 0.0005, steps) }), batchSize: n, steps, seed: 2 })).params
const precision = (A: Float64Array) => [[A[0], (A[1] + A[2]) / 2], [(A[1] + A[2]) / 2, A[3]]]

console.log(`${n} points of a correlated 2-D Gaussian; sample mean (${mean.map((v) => v.toFixed(3)).join(', ')}), inverse sample covariance S⁻¹ = ${show(inverse(covariance))}`)
console.log(`full batch, Adam (lr 0.05 → 0.0005, cosine), ${steps} steps`)
console.log('objective            fitted M                             what it should find                 largest difference  fitted μ')
const rows: [string, train.Objective, number[][], string][] = [
  ['exact', train.scoreMatching({ kind: 'exact' }), inverse(covariance), 'S⁻¹'],
  ['sliced (1 proj.)', train.scoreMatching({ kind: 'sliced', projections: 1 }), inverse(covariance), 'S⁻¹'],
  ['denoising σ = 0.3', train.scoreMatching({ kind: 'denoising', sigma: 0.3 }), blurred(0.3), '(S + σ²I)⁻¹'],
]
for (const [name, objective, want, label] of rows) {
  const p = await fit(objective, fullGaussian)
  const M = precision(p.A)
  console.log(`${name.padEnd(19)}  ${show(M).padEnd(35)}  ${label.padEnd(12)}${show(want).padEnd(24)}  ${largest(M, want).toFixed(4).padStart(18)}  (${[...p.mu].map((v) => v.toFixed(3)).join(', ')})`)
}

// The denoising bias on isotropic data: E = a‖x‖²/2 on N(0, s²I).
const s = 0.7
const isotropicData = rng.normals(3, 0, 0, 2 * n).map((v) => s * v)
const s2 = isotropicData.reduce((t, v) => t + v * v, 0) / (2 * n)
const isotropic = energy.define({
  name: 'isotropic',
  shape: [2],
  params: { a: { shape: [], init: { kind: 'constant', value: 1 } } },
  build: (x, p) => ir.mul(ir.sum(ir.square(x), 1), ir.mul(p.a, 0.5)),
})
console.log(`\nthe denoising bias: E = a‖x‖²/2 on N(0, s²I) with s = ${s} (sample s² = ${s2.toFixed(4)}); exact score matching would find 1/s² = ${(1 / s2).toFixed(3)}`)
console.log('    σ   fitted a   1/(s² + σ²)   1/s²')
for (const sigma of [0.1, 0.3, 0.6, 1]) {
  const { params } = await train.fit(isotropic, isotropicData, { objective: train.scoreMatching({ kind: 'denoising', sigma }), optimizer: train.adam({ lr: sampler.cosine(0.05, 0.0005, steps) }), batchSize: n, steps, seed: 4 })
  console.log(`${sigma.toFixed(1).padStart(5)}   ${params.a[0].toFixed(3).padStart(8)}   ${(1 / (s2 + sigma * sigma)).toFixed(3).padStart(11)}   ${(1 / s2).toFixed(3)}`)
}
