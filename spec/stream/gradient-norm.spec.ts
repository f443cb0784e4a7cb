import t from 'tap'
import { rollingGradientNorm } from '../../src/stream/gradient-norm.js'
import { run, snapshot } from './snapshots.js'

t.test('rollingGradientNorm averages gradient norms over chains and the window', async (t) => {
  const snapshots = [1, 2, 3].map((i) => snapshot(i, [0, 0], { gradientNorms: Float64Array.from([i, 3 * i]) }))
  t.same(await run(snapshots, rollingGradientNorm(2)), [{ step: 2, meanGradientNorm: 3 }, { step: 3, meanGradientNorm: 5 }])
  await t.rejects(run([snapshot(0, [0])], rollingGradientNorm(1)), { name: 'TypeError', message: 'rollingGradientNorm: snapshot at step 0: gradientNorms: expected per-chain values (this operator needs them), got undefined' })
})
