import t from 'tap'
import { normalQuantile } from '../../src/diagnostics/normal.js'

t.test('normalQuantile agrees with known quantiles to 1e-15 relative', async (t) => {
  // values of scipy.special.ndtri (Cephes), itself accurate to about 1e-16
  const known: [number, number][] = [
    [1e-300, -37.0470962993612], [1e-20, -9.262340089798409], [1e-10, -6.361340902404056],
    [0.001, -3.090232306167813], [0.02425, -1.972961051311885], [0.1, -1.2815515655446004],
    [0.3, -0.5244005127080409], [0.75, 0.6744897501960817], [0.975, 1.959963984540054],
    [0.999999, 4.753424308817087], [1 - 1e-12, 7.0344869100478356],
  ]
  for (const [p, z] of known) {
    t.ok(Math.abs(normalQuantile(p) - z) <= 1e-15 * Math.abs(z) * 2, `p=${p}: ${normalQuantile(p)} vs ${z}`)
  }
  t.equal(normalQuantile(0.5), 0)
})

t.test('normalQuantile is antisymmetric and returns infinities at 0 and 1, NaN outside', async (t) => {
  // probabilities whose complements are exact in binary
  for (const p of [0.0078125, 0.125, 0.25, 0.375]) t.equal(normalQuantile(p), -normalQuantile(1 - p))
  t.equal(normalQuantile(0), -Infinity)
  t.equal(normalQuantile(1), Infinity)
  t.ok(Number.isNaN(normalQuantile(-0.1)))
  t.ok(Number.isNaN(normalQuantile(NaN)))
})
