import t from 'tap'
import { rollingEnergyGap } from '../../src/stream/energy-gap.js'
import { run, snapshot } from './snapshots.js'

t.test('rollingEnergyGap reports d_t and its mean over the window', async (t) => {
  const snapshots = [0, 1, 2].map((i) => snapshot(i, [0, 2], { dataEnergies: Float64Array.from([1 + i, 3 + i]) }))
  // sample energies are 0 and 2 (mean 1); data means are 2, 3, 4
  const reports = await run(snapshots, rollingEnergyGap(2))
  t.same(reports, [{ step: 1, gap: 2, meanGap: 1.5 }, { step: 2, gap: 3, meanGap: 2.5 }])
})

t.test('rollingEnergyGap errors when a snapshot has no data energies', async (t) => {
  await t.rejects(run([snapshot(4, [0])], rollingEnergyGap(1)), {
    name: 'TypeError',
    message: 'rollingEnergyGap: snapshot at step 4: dataEnergies: expected per-chain values (this operator needs them), got undefined',
  })
})
