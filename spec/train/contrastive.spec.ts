/**
 * The contrastive objective on the quadratic toy E = ½‖x − θ‖², whose gradient ∇θ(mean E⁺ − mean E⁻) is
 * x̄⁻ − x̄⁺: with fixed negatives one SGD step moves θ by exactly η(x̄⁺ − x̄⁻); with exact negatives from
 * N(θ, I) the expected θ approaches the data mean at the rate (1 − η) per step.
 */
import t from 'tap'
import * as rng from '../../src/rng/index.js'
import * as train from '../../src/train/index.js'
import { columnMeans, meanAndError, quadratic } from './fixtures.js'

const theta0 = [0.5, -1, 2]
const positives = Float64Array.from({ length: 12 }, (_v, i) => Math.sin(i * 1.1) * 2 + (i % 3))
const fixedNegatives = Float64Array.from({ length: 9 }, (_v, i) => Math.cos(i * 0.7) - 0.5)

t.test('with fixed negatives one SGD step moves θ by η(x̄⁺ − x̄⁻)', async (t) => {
  const eta = 0.3
  for (const backend of ['reference', 'auto'] as const) {
    const trainer = train.trainer(quadratic(theta0), {
      objective: train.contrastive(),
      negatives: train.drawn({ draw: () => fixedNegatives.slice(), chains: 3 }),
      optimizer: train.sgd({ lr: eta }),
      batchSize: 4,
      backend,
    })
    const state = trainer.init(positives, { theta: Float64Array.from(theta0) }, 1)
    const [next, record] = await trainer.step(state, positives, { seed: 1, step: 0 })
    const plus = columnMeans(positives, 3)
    const minus = columnMeans(fixedNegatives, 3)
    const want = theta0.map((v, a) => v + eta * (plus[a] - minus[a]))
    t.ok(next.params.theta.every((v, a) => Math.abs(v - want[a]) < 1e-14), `${backend}: θ = ${[...next.params.theta]} vs ${want}`)
    t.equal(record.step, 0)
    t.equal(next.step, 1)
    t.ok(Math.abs((record.energyGap as number) - (record.meanPositiveEnergy - (record.meanNegativeEnergy as number))) < 1e-15, 'the energy gap is mean E⁺ − mean E⁻')
    t.ok(Math.abs(record.gradientNorm - Math.hypot(...plus.map((p, a) => p - minus[a]))) < 1e-14, '‖∇θ‖ = ‖x̄⁺ − x̄⁻‖')
    t.ok(Math.abs(record.paramNorm - Math.hypot(...want)) < 1e-14, '‖θ‖ after the step')
  }
})

t.test('with exact negatives from N(θ, I), E[θₖ] = x̄ + (1 − η)ᵏ(θ₀ − x̄): the rate (1 − η) per step', async (t) => {
  const D = 2
  const n = 40
  const eta = 0.25
  const steps = 8
  const data = rng.normals(424242, 0, 0, n * D).map((z, i) => 1.5 * z + (i % 2 === 0 ? 2 : -1))
  const xbar = columnMeans(data, D)
  const start = [3, -2]
  const exact = train.drawn({ draw: ({ params, seed, count }) => rng.normals(seed, 0, 0, count * D).map((z, i) => z + params.theta[i % D]) })
  const trainer = train.trainer(quadratic(start), { objective: train.contrastive(), negatives: exact, optimizer: train.sgd({ lr: eta }), batchSize: n, backend: 'reference' })
  const seeds = 100
  const paths: number[][][] = [] // [seed][step][coordinate]
  for (let s = 0; s < seeds; s++) {
    let state = trainer.init(data, { theta: Float64Array.from(start) }, s)
    const path: number[][] = []
    for (let k = 0; k < steps; k++) {
      ;[state] = await trainer.step(state, data, { seed: s, step: k })
      path.push([...state.params.theta])
    }
    paths.push(path)
  }
  for (let k = 0; k < steps; k++) {
    for (let a = 0; a < D; a++) {
      const want = xbar[a] + (1 - eta) ** (k + 1) * (start[a] - xbar[a])
      const { mean, se } = meanAndError(paths.map((p) => p[k][a]))
      // 4 Monte Carlo standard errors over independent seeds.
      t.ok(Math.abs(mean - want) < 4 * se, `step ${k + 1}, θ[${a}]: ${mean.toFixed(4)} vs ${want.toFixed(4)} (se ${se.toExponential(2)})`)
    }
  }
})
