/**
 * NCE on a one-dimensional Gaussian recovers the mean, the variance and log Z. Tolerance: with noise of
 * the data's own distribution and ν noise samples per point, NCE's asymptotic variance is (1 + 1/ν) times
 * maximum likelihood's (Gutmann & Hyvärinen 2012), whose standard errors are s/√n for the mean, s²√(2/n)
 * for the variance and √(1/(2n)) for log Z = ½ log(2πs²); each estimate must lie within 4 such errors of
 * the truth.
 */
import t from 'tap'
import * as sampler from '../../src/sampler/index.js'
import * as train from '../../src/train/index.js'
import { gaussian1d, gaussianData } from './fixtures.js'

t.test('NCE on N(μ, s²) data recovers μ, s² and log Z = ½ log 2πs²', async (t) => {
  const [mu, s, n, ratio, steps] = [1.5, 0.8, 1000, 4, 600]
  const data = gaussianData(n, [mu], [s], 101)
  const { params, records } = await train.fit(gaussian1d(), data, {
    objective: train.nce({ ratio }),
    optimizer: train.adam({ lr: sampler.cosine(0.05, 0.0005, steps) }),
    batchSize: n,
    steps,
    seed: 1,
  })
  const inflation = Math.sqrt(1 + 1 / ratio)
  const checks = [
    ['mean', params.m[0], mu, s / Math.sqrt(n)],
    ['variance', 1 / params.p[0], s * s, s * s * Math.sqrt(2 / n)],
    ['log Z', params.logZ[0], 0.5 * Math.log(2 * Math.PI * s * s), Math.sqrt(1 / (2 * n))],
  ] as const
  for (const [what, got, want, se] of checks) t.ok(Math.abs(got - want) < 4 * inflation * se, `${what}: ${got} vs ${want} (4·√(1 + 1/ν)·se = ${4 * inflation * se})`)
  const last = records[records.length - 1]
  t.ok(last.meanNegativeEnergy !== null && last.energyGap !== null, 'NCE reports the mean energy of its noise samples')
  t.same(Object.keys(last.terms), ['nce'])
})
