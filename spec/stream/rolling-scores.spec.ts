import fc from 'fast-check'
import { from, lastValueFrom, toArray } from 'rxjs'
import t from 'tap'
import * as diagnostics from '../../src/diagnostics/index.js'
import * as stream from '../../src/stream/index.js'

// Records with tied scores (a few values) and labels, some unlabelled.
const records = fc.array(fc.record({ score: fc.integer({ min: -3, max: 3 }).map((v) => v / 3), label: fc.constantFrom<0 | 1 | undefined>(0, 1, undefined) }), { maxLength: 60 })
const windowSize = fc.integer({ min: 1, max: 12 })

// The pure function on the last `size` labelled records up to record i, null where it is undefined.
const windowed = (rs: readonly { score: number; label?: 0 | 1 }[], i: number, size: number, f: (s: number[], l: number[]) => number): number | null => {
  const w = rs.slice(0, i + 1).filter((r) => r.label !== undefined).slice(-size)
  try {
    return w.length === 0 ? null : f(w.map((r) => r.score), w.map((r) => r.label as number))
  } catch {
    return null
  }
}

t.test('rollingAuroc and rollingAuprc give the bits of auroc and auprc on the same window', async (t) => {
  await fc.assert(
    fc.asyncProperty(records, windowSize, async (rs, size) => {
      const a = await lastValueFrom(from(rs).pipe(stream.rollingAuroc({ window: size }), stream.rollingAuprc({ window: size }), toArray()))
      return a.every((r, i) => Object.is(r.auroc, windowed(rs, i, size, diagnostics.auroc)) && Object.is(r.auprc, windowed(rs, i, size, diagnostics.auprc)))
    }),
  )
  t.pass('equal to the bit on every record')
})

t.test('rollingThreshold is the quantile of the window of scores before each record, to the bit', async (t) => {
  await fc.assert(
    fc.asyncProperty(records, windowSize, fc.constantFrom(0, 0.3, 0.5, 0.99, 1), async (rs, size, q) => {
      const out = await lastValueFrom(from(rs).pipe(stream.rollingThreshold({ window: size, quantile: q }), toArray()))
      return out.every((r, i) => {
        const want = i < size ? null : diagnostics.quantile(rs.slice(i - size, i).map((x) => x.score), q)
        return Object.is(r.threshold, want) && r.flagged === (want !== null && r.score > want)
      })
    }),
  )
  t.pass('equal to the bit on every record')
})

