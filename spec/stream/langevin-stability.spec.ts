import t from 'tap'
import { rollingLangevinStability } from '../../src/stream/langevin-stability.js'
import { run, snapshot } from './snapshots.js'

t.test('rollingLangevinStability reports the window’s largest curvature and warns as h·λ_max nears 2', async (t) => {
  const curvatures = [10, 50, 95, 20]
  const snapshots = curvatures.map((_c, i) => snapshot(i, [0]))
  let calls = 0
  const reports = await run(
    snapshots,
    rollingLangevinStability(2, {
      stepSize: 0.02,
      curvature: (s) => {
        calls++
        return curvatures[s.step]
      },
    }),
  )
  t.equal(calls, 4, 'each snapshot is estimated once')
  t.same(reports.map((r) => r.largestCurvature), [50, 95, 95])
  t.equal(reports[0].stability.stepCurvature, 1)
  t.equal(reports[0].stability.effectiveTemperature, 2, 'at h·λ = 1 the stiffest direction samples at twice T')
  t.equal(reports[0].stability.warning, undefined)
  t.match(reports[1].stability.warning, /h·λ_max = 1\.9/)
  t.notOk(reports[1].stability.diverges)
})

t.test('rollingLangevinStability names a missing curvature function and a bad step size', async (t) => {
  t.throws(() => rollingLangevinStability(2, {} as never), { name: 'TypeError', message: 'rollingLangevinStability: options.curvature: expected a function, got undefined' })
  t.throws(() => rollingLangevinStability(1, { stepSize: -1, curvature: () => 1 }), { name: 'RangeError', message: 'rollingLangevinStability: options.stepSize: expected a positive number, got -1' })
})
