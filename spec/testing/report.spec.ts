/**
 * Reports: the verdict follows the p-value or the bound, a failure's message names what failed and the
 * options that reproduce it, and a combined report lists its failures worst first.
 */
import t from 'tap'
import { assertPassed, boundReport, combined, skippedReport, testReport } from '../../src/testing/report.js'

const sizes = { seed: 7, chains: 500 }

t.test('a test passes at a p-value at its level and fails below it', async (t) => {
  t.equal(testReport('x', { statistic: 1, pValue: 0.01, level: 0.01 }, sizes).passed, true)
  const failed = testReport('x[1] (KS)', { statistic: 0.3, pValue: 0.0099, level: 0.01 }, sizes)
  t.equal(failed.passed, false)
  t.equal(failed.message, 'x[1] (KS): failed: statistic 0.3, p-value 0.0099 < 0.01; reproduce with the options { seed: 7, chains: 500 }')
})

t.test('a bound holds at equality, and a NaN deviation fails', async (t) => {
  t.equal(boundReport('b', { statistic: 1e-12, bound: 1e-12, what: 'error' }, sizes).passed, true)
  t.equal(boundReport('b', { statistic: NaN, bound: 1e-12, what: 'error' }, sizes).passed, false)
})

t.test('a combined report fails when any part fails, and lists failures worst first', async (t) => {
  const parts = [
    testReport('a', { statistic: 1, pValue: 0.004, level: 0.005 }, sizes),
    testReport('b', { statistic: 2, pValue: 1e-9, level: 0.005 }, sizes),
    testReport('c', { statistic: 0.1, pValue: 0.9, level: 0.005 }, sizes),
  ]
  const r = combined('checkStationarity(g)', parts, sizes)
  t.equal(r.passed, false)
  t.same(r.parts?.map((p) => p.name), ['b', 'a', 'c'])
  t.match(r.message, /^checkStationarity\(g\): failed 2 of 3: b: failed: .*; a: failed: .*; reproduce with the options \{ seed: 7, chains: 500 \}$/)
  const ok = combined('checkStationarity(g)', [parts[2]], sizes)
  t.equal(ok.passed, true)
  t.match(ok.message, /passed 1 test; closest to failing: c: passed/)
})

t.test('a skipped check passes and says why; assertPassed throws the message of a failure', async (t) => {
  t.equal(skippedReport('checkParity', 'no addon', sizes).passed, true)
  t.throws(() => assertPassed(boundReport('b', { statistic: 1, bound: 0, what: 'error' }, sizes)), { message: 'b: failed: error 1 > 0; reproduce with the options { seed: 7, chains: 500 }' })
  const r = testReport('x', { statistic: 1, pValue: 0.5, level: 0.01 }, sizes)
  t.equal(assertPassed(r), r)
})
