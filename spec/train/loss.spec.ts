/**
 * Every objective's terms against a computation that does not go through its IR (energies and input
 * gradients from the energy module, curvatures by finite differences), and its gradient ∂loss/∂θ against
 * central finite differences, in float64 on a small softplus MLP away from special cases (D = 2, batch
 * sizes that differ, σ ≠ 1, weights ≠ 1).
 */
import t, { type Test } from 'tap'
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import * as train from '../../src/train/index.js'
import { normalsOf, purposes } from '../../src/train/random.js'
import { richardson } from '../ir/numeric.js'
import { smallMlp } from './fixtures.js'

const e = smallMlp()
const params = energy.init(e)
const key = { seed: 11, step: 4 }
const positive = Float64Array.from({ length: 10 }, (_v, i) => Math.sin(1.7 * i + 0.3) * 1.5)
const negative = Float64Array.from({ length: 6 }, (_v, i) => Math.cos(2.3 * i) * 2)
const reference = { backend: 'reference' } as const

const rowsOf = (x: Float64Array): number[][] => Array.from({ length: x.length / 2 }, (_v, i) => [x[2 * i], x[2 * i + 1]])
const mean = (xs: ArrayLike<number>): number => Array.from(xs).reduce((s, v) => s + v, 0) / xs.length
const E = (x: Float64Array | number[][]) => energy.energyAt(e, x, params)
const gradE = (x: number[][]) => energy.gradientAt(e, x, params)
const normSquared = (g: Float64Array, i: number) => g[2 * i] ** 2 + g[2 * i + 1] ** 2

const lossOf = (o: train.Objective, negatives = 0, fixed: Record<string, Float64Array> = {}) => {
  const program = train.lossProgram(e, o, { positives: 5, negatives })
  const values = (p: Record<string, Float64Array>) => train.evaluateLoss(program, { positive, negative, params: p, fixed, key }, reference)
  return { program, values }
}

/** ∂loss/∂θ of every parameter entry by Richardson-extrapolated central differences. */
const checkGradients = (t: Test, o: train.Objective, negatives = 0, fixed: Record<string, Float64Array> = {}) => {
  const { values } = lossOf(o, negatives, fixed)
  const at: Record<string, Float64Array> = { ...params, ...(o.kind === 'nce' ? { logZ: Float64Array.of(0.4) } : {}) }
  const { gradients } = values(at)
  let worst = 0
  for (const [name, g] of Object.entries(gradients)) {
    for (let i = 0; i < g.length; i++) {
      const fd = richardson((h) => {
        const shifted = at[name].slice()
        shifted[i] += h
        return values({ ...at, [name]: shifted }).loss
      })
      worst = Math.max(worst, Math.abs(fd - g[i]) / (1 + Math.abs(g[i])))
    }
  }
  t.ok(worst < 1e-8, `${JSON.stringify(o)}: largest relative difference from finite differences ${worst}`)
}

t.test('the contrastive terms are mean E⁺ − mean E⁻, α·mean(E⁺² + E⁻²), γ·mean‖∇ₓE⁺‖² and ½λ‖θ‖²', async (t) => {
  const [alpha, gamma, lambda] = [0.3, 0.7, 0.05]
  const v = lossOf(train.contrastive({ energyL2: alpha, gradientPenalty: gamma, weightDecay: lambda }), 3).values(params)
  const Ep = E(positive)
  const En = E(negative)
  const g = gradE(rowsOf(positive))
  const sumSquares = Object.values(params).reduce((s, p) => s + p.reduce((q, x) => q + x * x, 0), 0)
  const want = {
    contrastive: mean(Ep) - mean(En),
    energyL2: alpha * (mean(Ep.map((x) => x * x)) + mean(En.map((x) => x * x))),
    gradientPenalty: gamma * mean(Array.from({ length: 5 }, (_v, i) => normSquared(g, i))),
    weightDecay: (lambda / 2) * sumSquares,
  }
  for (const [term, value] of Object.entries(want)) t.ok(Math.abs(v.terms[term] - value) < 1e-12 * (1 + Math.abs(value)), `${term}: ${v.terms[term]} vs ${value}`)
  t.ok(Math.abs(v.loss - Object.values(want).reduce((a, b) => a + b)) < 1e-12, 'the loss is the sum of the terms')
  t.equal(v.meanPositive, mean(Ep))
  t.equal(v.meanNegative, mean(En))
})

t.test("exact score matching's loss is mean ½‖∇ₓE‖² − tr ∇²ₓE", async (t) => {
  const v = lossOf(train.scoreMatching({ kind: 'exact' })).values(params)
  const points = rowsOf(positive)
  const g = gradE(points)
  const trace = points.map((x) => [0, 1].reduce((s, d) => s + richardson((h) => gradE([x.map((c, j) => (j === d ? c + h : c))])[d]), 0))
  const want = mean(points.map((_x, i) => 0.5 * normSquared(g, i) - trace[i]))
  t.ok(Math.abs(v.terms.scoreMatching - want) < 1e-9, `${v.terms.scoreMatching} vs ${want}`)
})

t.test("sliced score matching's loss is mean ½‖∇ₓE‖² − vᵀ∇²ₓE v over the projections drawn from (seed, step)", async (t) => {
  const v = lossOf(train.scoreMatching({ kind: 'sliced', projections: 2 })).values(params)
  const projections = normalsOf(key, purposes.objective, 2 * 5 * 2)
  const points = rowsOf(positive)
  const g = gradE(points)
  const curvature = (m: number, i: number) => {
    const dir = [projections[(m * 5 + i) * 2], projections[(m * 5 + i) * 2 + 1]]
    return richardson((h) => {
      const gh = gradE([[points[i][0] + h * dir[0], points[i][1] + h * dir[1]]])
      return gh[0] * dir[0] + gh[1] * dir[1]
    })
  }
  const want = mean(points.map((_x, i) => 0.5 * normSquared(g, i) - (curvature(0, i) + curvature(1, i)) / 2))
  t.ok(Math.abs(v.terms.scoreMatching - want) < 1e-9, `${v.terms.scoreMatching} vs ${want}`)
})

t.test("denoising score matching's loss is the mean over levels and points of ½‖σ∇ₓE(x + σε) − ε‖²", async (t) => {
  const sigmas = [0.3, 1.7]
  const v = lossOf(train.scoreMatching({ kind: 'denoising', sigmas })).values(params)
  const eps = normalsOf(key, purposes.objective, 2 * 5 * 2)
  const terms: number[] = []
  sigmas.forEach((sigma, l) => {
    for (let i = 0; i < 5; i++) {
      const k = (l * 5 + i) * 2
      const g = gradE([[positive[2 * i] + sigma * eps[k], positive[2 * i + 1] + sigma * eps[k + 1]]])
      terms.push(0.5 * ((sigma * g[0] - eps[k]) ** 2 + (sigma * g[1] - eps[k + 1]) ** 2))
    }
  })
  t.ok(Math.abs(v.terms.scoreMatching - mean(terms)) < 1e-12, `${v.terms.scoreMatching} vs ${mean(terms)}`)
})

t.test("NCE's loss is the logistic loss of telling data from ν·B noise samples, with log p = −E − log Z", async (t) => {
  const o = train.nce({ ratio: 3 })
  const fixed = train.fixedInputs(o, positive, 2)
  const logZ = 0.4
  const v = lossOf(o, 0, fixed).values({ ...params, logZ: Float64Array.of(logZ) })
  const [m0, m1] = fixed.noiseMean
  const [l00, , l10, l11] = fixed.noiseScale
  const logNormaliser = Math.log(2 * Math.PI) + Math.log(l00 * l11)
  const logQ = (x: number[]) => {
    const w0 = (x[0] - m0) / l00
    const w1 = (x[1] - m1 - l10 * w0) / l11
    return -0.5 * (w0 * w0 + w1 * w1) - logNormaliser
  }
  const z = normalsOf(key, purposes.objective, 15 * 2)
  const noise = Array.from({ length: 15 }, (_v, j) => [m0 + l00 * z[2 * j], m1 + l10 * z[2 * j] + l11 * z[2 * j + 1]])
  const softplus = (u: number) => Math.log1p(Math.exp(u))
  const logit = (x: number[]) => -E([x])[0] - logZ - logQ(x) - Math.log(3)
  const want = (rowsOf(positive).reduce((s, x) => s + softplus(-logit(x)), 0) + noise.reduce((s, y) => s + softplus(logit(y)), 0)) / 5
  t.ok(Math.abs(v.terms.nce - want) < 1e-12, `${v.terms.nce} vs ${want}`)
  t.ok(Math.abs((v.meanNegative as number) - mean(E(noise))) < 1e-12, 'mean E⁻ is over the noise samples')
})

t.test('the gradient of every objective matches finite differences (float64)', async (t) => {
  checkGradients(t, train.contrastive({ energyL2: 0.3, gradientPenalty: 0.7, weightDecay: 0.05 }), 3)
  checkGradients(t, train.contrastive({ gradientPenalty: 1.3 }), 3)
  checkGradients(t, train.scoreMatching({ kind: 'exact' }))
  checkGradients(t, train.scoreMatching({ kind: 'sliced', projections: 2 }))
  checkGradients(t, train.scoreMatching({ kind: 'denoising', sigmas: [0.3, 1.7] }))
  const o = train.nce({ ratio: 3 })
  checkGradients(t, o, 0, train.fixedInputs(o, positive, 2))
  checkGradients(t, train.nce({ noise: 'diagonal' }), 0, train.fixedInputs(train.nce({ noise: 'diagonal' }), positive, 2))
})

t.test('objectives refuse bad options with errors that name them', async (t) => {
  t.throws(() => train.contrastive({ energyL2: -1 }), { message: 'train.contrastive: energyL2: expected a number ≥ 0, got -1' })
  t.throws(() => train.contrastive({ l2: 1 } as train.ContrastiveOptions), { message: "train.contrastive: unknown option 'l2' (options: energyL2, gradientPenalty, weightDecay)" })
  t.throws(() => train.scoreMatching({ kind: 'implicit' } as unknown as train.ScoreMatchingOptions), { message: 'train.scoreMatching: kind: expected one of "exact", "sliced", "denoising", got "implicit"' })
  t.throws(() => train.scoreMatching({ kind: 'sliced', projections: 0 }), { message: 'train.scoreMatching: projections: expected an integer ≥ 1, got 0' })
  t.throws(() => train.scoreMatching({ kind: 'denoising' } as train.ScoreMatchingOptions), { message: /train.scoreMatching: expected one of 'sigma' \(one noise level\) or 'sigmas' \(several\)/ })
  t.throws(() => train.scoreMatching({ kind: 'denoising', sigmas: [0.1, 0] }), { message: 'train.scoreMatching: sigmas[1]: expected a positive number, got 0' })
  t.throws(() => train.scoreMatching({ kind: 'denoising', sigmas: [] }), { message: 'train.scoreMatching: sigmas: expected at least one noise level, got an array of length 0' })
  t.throws(() => train.nce({ noise: 'laplace' } as unknown as train.NceOptions), { message: 'train.nce: noise: expected one of "gaussian", "diagonal", got "laplace"' })
  t.throws(() => train.fixedInputs(train.nce(), new Float64Array([1, 2, 1, 2]), 2), { message: /train.nce: the data: expected a covariance of full rank/ })
  const withLogZ = energy.define({ shape: [1], params: { logZ: { shape: [], init: { kind: 'zeros' } } }, build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
  t.throws(() => train.lossProgram(withLogZ, train.nce(), { positives: 2, negatives: 0 }), { message: /no parameter named 'logZ'/ })
  t.same(train.checkObjective(JSON.parse(JSON.stringify(train.scoreMatching({ kind: 'denoising', sigmas: [0.1, 0.2] }))), 'objective'), train.scoreMatching({ kind: 'denoising', sigmas: [0.1, 0.2] }))
})
