import t from 'tap'
import { from, lastValueFrom, toArray } from 'rxjs'
import { stream, diagnostics } from '../../src/index.js'
import { snapshot } from './snapshots.js'

t.test('the package root exports the stream operators that feed the diagnostics', async (t) => {
  const snapshots = Array.from({ length: 6 }, (_, i) => snapshot(i, [i % 2, 2, 3]))
  const reports = await lastValueFrom(from(snapshots).pipe(stream.rollingStagnation(3), toArray()))
  t.same(reports.map((r) => r.stagnant), [[1, 2], [1, 2], [1, 2], [1, 2]])
  t.equal(typeof diagnostics.rhat, 'function')
})
