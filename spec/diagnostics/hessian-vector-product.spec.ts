import t from 'tap'
import * as ir from '../../src/ir/index.js'
import { define } from '../../src/energy/index.js'
import { hessianVectorProduct, largestCurvature } from '../../src/diagnostics/hessian-vector-product.js'

// A = Q diag(λ) Qᵀ with Q the Householder reflection along u = (1, 2, …, d): dense, spectrum known.
const eigenvalues = [0.5, 4, 1, 7, 2]
const d = eigenvalues.length
const u = Array.from({ length: d }, (_, i) => i + 1)
const uu = u.reduce((s, x) => s + x * x, 0)
const Q = (i: number, j: number) => (i === j ? 1 : 0) - (2 * u[i] * u[j]) / uu
const A = Float64Array.from({ length: d * d }, (_, k) => {
  const [i, j] = [Math.floor(k / d), k % d]
  return eigenvalues.reduce((s, l, m) => s + Q(i, m) * l * Q(j, m), 0)
})

// E(x) = ½ xᵀAx with A a parameter
const quadratic = define({
  name: 'quadratic',
  shape: [d],
  params: { A: { shape: [d, d], init: { kind: 'zeros' } } },
  build: (x, p) => ir.mul(ir.sum(ir.mul(ir.matmul(x, p.A), x), 1), 0.5),
})

t.test('hessianVectorProduct of a quadratic energy is A·v', async (t) => {
  const hv = hessianVectorProduct(quadratic, { A }, [0.3, -1, 2, 0, 1])
  const v = Float64Array.from([1, -2, 0.5, 3, -1])
  const got = hv(v)
  for (let i = 0; i < d; i++) {
    const want = Array.from({ length: d }, (_, j) => A[i * d + j] * v[j]).reduce((a, b) => a + b)
    t.ok(Math.abs(got[i] - want) < 1e-12, `row ${i}: ${got[i]} vs ${want}`)
  }
})

t.test('largestCurvature finds the largest eigenvalue of a known quadratic energy to 1e-6', async (t) => {
  const { eigenvalue, converged } = largestCurvature(quadratic, { A }, [0, 0, 0, 0, 0])
  t.ok(converged)
  t.ok(Math.abs(eigenvalue - 7) < 1e-6, `${eigenvalue}`)
})

t.test('hessianVectorProduct of a non-quadratic energy depends on x', async (t) => {
  // E(x) = Σ softplus(x_i): the Hessian is diag(σ(x)(1 − σ(x)))
  const e = define({ shape: [3], build: (x) => ir.sum(ir.softplus(x), 1) })
  const x = [-1, 0, 2]
  const got = hessianVectorProduct(e, {}, x)(Float64Array.from([1, 1, 1]))
  x.forEach((xi, i) => {
    const s = 1 / (1 + Math.exp(-xi))
    t.ok(Math.abs(got[i] - s * (1 - s)) < 1e-14)
  })
})

t.test('hessianVectorProduct names wrong sizes and avoids clashing with a parameter named direction', async (t) => {
  t.throws(() => hessianVectorProduct(quadratic, { A }, [1, 2]), {
    name: 'RangeError',
    message: "hessianVectorProduct: x: has 2 values; configurations of energy 'quadratic' need 5",
  })
  t.throws(() => hessianVectorProduct(quadratic, { A }, [0, 0, 0, 0, 0])(new Float64Array(2)), {
    name: 'RangeError',
    message: "hessianVectorProduct: v: has 2 values; configurations of energy 'quadratic' need 5",
  })
  const shifted = define({
    shape: [1],
    params: { direction: { shape: [1], init: { kind: 'zeros' } } },
    build: (x, p) => ir.sum(ir.square(ir.sub(x, p.direction)), 1),
  })
  t.same([...hessianVectorProduct(shifted, { direction: Float64Array.from([3]) }, [1])(Float64Array.from([1]))], [2])
})
