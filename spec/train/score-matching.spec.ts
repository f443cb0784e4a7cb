/**
 * Score matching against closed forms: exact score matching of a Gaussian with a full precision M is
 * minimised at M = S⁻¹ (S the sample covariance) and μ = x̄; sliced score matching's loss equals exact's
 * in expectation over the projections; denoising score matching of E = a‖x‖²/2 on N(0, s²I) data is
 * minimised at a* = 1/(s² + σ²), and over several levels weighted by σ² at Σσ² / Σσ²(s² + σ²).
 */
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as rng from '../../src/rng/index.js'
import * as train from '../../src/train/index.js'
import { columnMeans, fullGaussian, gaussianData, inverse, isotropic, meanAndError, sampleCovariance, smallMlp } from './fixtures.js'

t.test('exact score matching of a full Gaussian converges to the inverse sample covariance and the sample mean', async (t) => {
  const D = 3
  const n = 200
  const data = gaussianData(n, [0.5, -1, 2], [1, 0, 0, 0.5, 0.8, 0, -0.3, 0.4, 1.2], 5)
  const { params, records } = await train.fit(fullGaussian(D), data, {
    objective: train.scoreMatching({ kind: 'exact' }),
    optimizer: train.momentum({ lr: 0.3, momentum: 0.7 }),
    batchSize: n,
    steps: 250,
    seed: 1,
  })
  const want = inverse(sampleCovariance(data, D))
  const M = (i: number, j: number) => (params.A[i * D + j] + params.A[j * D + i]) / 2
  let worst = 0
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) worst = Math.max(worst, Math.abs(M(i, j) - want[i][j]))
  t.ok(worst < 1e-6, `largest |M − S⁻¹| = ${worst}`)
  const xbar = columnMeans(data, D)
  t.ok(params.mu.every((v, a) => Math.abs(v - xbar[a]) < 1e-6), `μ = ${[...params.mu]} vs x̄ = ${xbar}`)
  t.ok(records[records.length - 1].gradientNorm < 1e-9, 'converged: ‖∇θ‖ at the end')
})

t.test("sliced score matching's loss is exact score matching's in expectation over the projections", async (t) => {
  const e = smallMlp()
  const params = energy.init(e)
  const positive = rng.normals(77, 0, 0, 16).map((z) => 1.3 * z)
  const run = (o: train.Objective, step: number) =>
    train.evaluateLoss(train.lossProgram(e, o, { positives: 8, negatives: 0 }), { positive, params, fixed: {}, key: { seed: 5, step } }, { backend: 'reference' }).loss
  const exact = run(train.scoreMatching({ kind: 'exact' }), 0)
  const sliced = Array.from({ length: 400 }, (_v, k) => run(train.scoreMatching({ kind: 'sliced' }), k))
  const { mean, se } = meanAndError(sliced)
  t.ok(Math.abs(mean - exact) < 4 * se, `sliced ${mean} ± ${se} vs exact ${exact}`)
  t.ok(se > 0, 'the projections differ from step to step')
})

// The denoising loss of E = a‖x‖²/2 is quadratic in a, so its minimiser for one draw of data and noise is
// where the linear gradient g(a) vanishes: a = −g(0)/(g(1) − g(0)).
const denoisingMinimiser = (sigmas: readonly number[], s: number, replication: number): number => {
  const D = 2
  const n = 200
  const program = train.lossProgram(isotropic(D), train.scoreMatching({ kind: 'denoising', sigmas }), { positives: n, negatives: 0 })
  const positive = rng.normals(1000 + replication, 0, 0, n * D).map((z) => s * z)
  const g = (a: number) => train.evaluateLoss(program, { positive, params: { a: Float64Array.of(a) }, fixed: {}, key: { seed: replication, step: 0 } }, { backend: 'reference' }).gradients.a[0]
  const g0 = g(0)
  return -g0 / (g(1) - g0)
}

t.test('denoising score matching on N(0, s²I) data gives a* = 1/(s² + σ²)', async (t) => {
  const [s, sigma] = [0.7, 0.4]
  const { mean, se } = meanAndError(Array.from({ length: 60 }, (_v, r) => denoisingMinimiser([sigma], s, r)))
  const want = 1 / (s * s + sigma * sigma)
  t.ok(Math.abs(mean - want) < 4 * se, `a* ${mean} ± ${se} vs ${want}`)
})

t.test('denoising over several levels weighted by σ² gives a* = Σσ² / Σσ²(s² + σ²)', async (t) => {
  const s = 0.7
  const sigmas = [0.3, 1.2]
  const { mean, se } = meanAndError(Array.from({ length: 60 }, (_v, r) => denoisingMinimiser(sigmas, s, r)))
  const want = sigmas.reduce((q, v) => q + v * v, 0) / sigmas.reduce((q, v) => q + v * v * (s * s + v * v), 0)
  t.ok(Math.abs(mean - want) < 4 * se, `a* ${mean} ± ${se} vs ${want}`)
})
