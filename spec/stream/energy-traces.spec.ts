import t from 'tap'
import { rollingEnergyTraces } from '../../src/stream/energy-traces.js'
import { run, snapshot } from './snapshots.js'

t.test('rollingEnergyTraces reports traces per chain and a large R-hat when chains sit apart', async (t) => {
  const snapshots = Array.from({ length: 10 }, (_, i) => snapshot(i, [Math.sin(i), 5 + Math.cos(i)]))
  const reports = await run(snapshots, rollingEnergyTraces(8))
  t.equal(reports.length, 3)
  t.equal(reports[2].step, 9)
  t.same([...reports[2].traces[0]], snapshots.slice(2).map((s) => s.energies[0]))
  t.ok(reports[2].rhat > 1.1, `rhat ${reports[2].rhat}`)
})

t.test('rollingEnergyTraces gives R-hat NaN when an energy is not finite, and needs windows of 4', async (t) => {
  const snapshots = Array.from({ length: 4 }, (_, i) => snapshot(i, [i, i === 2 ? NaN : -i]))
  const [report] = await run(snapshots, rollingEnergyTraces(4))
  t.ok(Number.isNaN(report.rhat))
  t.throws(() => rollingEnergyTraces(3), { name: 'RangeError', message: 'rollingEnergyTraces: size: expected an integer ≥ 4, got 3' })
})
