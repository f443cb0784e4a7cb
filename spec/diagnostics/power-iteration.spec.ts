import t from 'tap'
import { largestEigenvalue } from '../../src/diagnostics/power-iteration.js'

// A quadratic energy E(x) = ½ xᵀAx with A = Q diag(λ) Qᵀ, Q a Householder reflection, so the spectrum is
// known exactly while A is dense; its Hessian-vector product is Av.
const quadraticHessian = (eigenvalues: number[]) => {
  const d = eigenvalues.length
  const u = Float64Array.from({ length: d }, (_, i) => 1 + i)
  const uu = u.reduce((s, x) => s + x * x, 0)
  const reflect = (v: Float64Array) => {
    const dot = v.reduce((s, x, i) => s + x * u[i], 0)
    return v.map((x, i) => x - (2 * dot * u[i]) / uu)
  }
  return (v: Float64Array) => reflect(reflect(v).map((x, i) => x * eigenvalues[i]))
}

t.test('largestEigenvalue finds the largest eigenvalue of a known quadratic energy to 1e-6', async (t) => {
  const eigenvalues = [0.5, 4, 1, 5, 2, 0.1]
  const result = largestEigenvalue(quadraticHessian(eigenvalues), eigenvalues.length)
  t.ok(result.converged)
  t.ok(Math.abs(result.eigenvalue - 5) < 1e-6, `${result.eigenvalue} after ${result.iterations} iterations`)
  // the vector is an eigenvector: A v = 5 v
  const av = quadraticHessian(eigenvalues)(result.vector)
  t.ok(av.every((x, i) => Math.abs(x - 5 * result.vector[i]) < 1e-4))
})

t.test('largestEigenvalue is deterministic and reports its iterations', async (t) => {
  const h = quadraticHessian([1, 3, 2])
  t.same(largestEigenvalue(h, 3), largestEigenvalue(h, 3))
  const capped = largestEigenvalue(quadraticHessian([1, 0.999, 0.5]), 3, { maxIterations: 5 })
  t.equal(capped.iterations, 5)
  t.equal(capped.converged, false)
})

t.test('largestEigenvalue returns the dominant eigenvalue with its sign, and 0 for a flat energy', async (t) => {
  t.ok(Math.abs(largestEigenvalue(quadraticHessian([1, -6, 2]), 3).eigenvalue + 6) < 1e-6)
  const flat = largestEigenvalue((v) => new Float64Array(v.length), 4)
  t.equal(flat.eigenvalue, 0)
  t.ok(flat.converged)
})

t.test('largestEigenvalue names a bad dimension and a bad product', async (t) => {
  t.throws(() => largestEigenvalue((v) => v, 0), { name: 'RangeError', message: 'largestEigenvalue: dimension: expected an integer ≥ 1, got 0' })
  t.throws(() => largestEigenvalue(() => new Float64Array(2), 3), { name: 'RangeError', message: 'largestEigenvalue: hessianVectorProduct(v) at iteration 1: has 2 values; vectors of the dimension need 3' })
  t.throws(() => largestEigenvalue((v) => v.map(() => NaN), 3), { name: 'RangeError', message: 'largestEigenvalue: hessianVectorProduct(v)[0] at iteration 1: expected a finite number, got NaN' })
})
