import fc from 'fast-check'
import t from 'tap'
import * as diagnostics from '../../src/diagnostics/index.js'

// Scores from a few values, so that ties are common, with both classes present.
const labelled = fc
  .array(fc.record({ score: fc.integer({ min: 0, max: 5 }).map((v) => v / 4), label: fc.constantFrom(0, 1) }), { minLength: 2, maxLength: 40 })
  .filter((rs) => rs.some((r) => r.label === 1) && rs.some((r) => r.label === 0))

// AUROC by definition: over every (positive, negative) pair, 1 when the positive scores higher, ½ on a tie.
const pairwise = (rs: readonly { score: number; label: number }[]): number => {
  let won = 0
  let pairs = 0
  for (const p of rs) if (p.label === 1) for (const q of rs) if (q.label === 0) {
    pairs++
    won += p.score > q.score ? 1 : p.score === q.score ? 0.5 : 0
  }
  return won / pairs
}

// Average precision by definition: at each distinct score from the top, the recall gained times the precision there.
const stepwise = (rs: readonly { score: number; label: number }[]): number => {
  const positives = rs.filter((r) => r.label === 1).length
  let sum = 0
  let recalled = 0
  for (const s of [...new Set(rs.map((r) => r.score))].sort((a, b) => b - a)) {
    const above = rs.filter((r) => r.score >= s)
    const tp = above.filter((r) => r.label === 1).length
    sum += ((tp - recalled) / positives) * (tp / above.length)
    recalled = tp
  }
  return sum
}

t.test('auroc is the fraction of positive–negative pairs ordered, ties counting ½', async (t) => {
  fc.assert(fc.property(labelled, (rs) => Math.abs(diagnostics.auroc(rs.map((r) => r.score), rs.map((r) => r.label)) - pairwise(rs)) < 1e-12))
  t.equal(diagnostics.auroc([1, 1, 1], [1, 0, 0]), 0.5, 'all tied: chance')
  t.equal(diagnostics.auroc([3, 1, 2], [true, false, false]), 1)
})

t.test("auprc is scikit-learn's average precision, a group of tied scores one threshold", async (t) => {
  fc.assert(fc.property(labelled, (rs) => Math.abs(diagnostics.auprc(rs.map((r) => r.score), rs.map((r) => r.label)) - stepwise(rs)) < 1e-12))
  // sklearn.metrics.average_precision_score([1, 0, 1, 0, 0], [0.9, 0.4, 0.4, 0.1, 0.3]) = 0.8333…
  t.equal(diagnostics.auprc([0.9, 0.4, 0.4, 0.1, 0.3], [1, 0, 1, 0, 0]), (1 + 2 / 3) / 2)
})

t.test('both give the same bits whatever the order of the records', async (t) => {
  fc.assert(
    fc.property(labelled, fc.integer({ min: 0, max: 1000 }), (rs, k) => {
      const turned = [...rs.slice(k % rs.length), ...rs.slice(0, k % rs.length)].reverse()
      const of = (f: typeof diagnostics.auroc, xs: typeof rs) => f(xs.map((r) => r.score), xs.map((r) => r.label))
      return of(diagnostics.auroc, rs) === of(diagnostics.auroc, turned) && of(diagnostics.auprc, rs) === of(diagnostics.auprc, turned)
    }),
  )
  t.pass('order-free')
})
