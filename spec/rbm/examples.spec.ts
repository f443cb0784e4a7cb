/** The numbers examples/rbm-digits.ts prints (in its quick form). */
import t from 'tap'

t.test("rbm-digits: scikit-learn's PLL, and AIS within 4 standard errors of the exact log Z", async (t) => {
  process.env.HEATBATH_EXAMPLE_QUICK = '1'
  const log = console.log
  console.log = () => {}
  const { results } = await import('../../examples/rbm-digits.js').finally(() => (console.log = log))
  t.ok(Math.abs(results.pll - -21) < 1.5, `PLL ${results.pll}`)
  t.ok(results.reconstruction > 0 && results.reconstruction < 5, `reconstruction error ${results.reconstruction}`)
  t.ok(Math.abs(results.ais.logZ - results.logZ) < 4 * results.ais.standardError, `AIS ${results.ais.logZ} ± ${results.ais.standardError} vs ${results.logZ}`)
})
