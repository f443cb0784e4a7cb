/**
 * Hessian-vector products of an energy, by differentiating its IR twice, and the largest curvature
 * they reveal.
 *
 * @module
 */
import { array, numbers } from '../check/index.js'
import * as ir from '../ir/index.js'
import { checkEnergy, program, type Energy, type Params } from '../energy/index.js'
import { largestEigenvalue, type Eigenpair, type PowerIterationOptions } from './power-iteration.js'

/**
 * The Hessian-vector product v ↦ ∇²E(x)·v of an energy at one configuration x, with the parameters
 * fixed. It is built once as IR, grad applied twice: g = ∇ₓE, then ∇ₓ(g·v) = ∇²E·v, so no Hessian
 * is ever formed; each call evaluates the compiled tape with the reference executor.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../ir/index.js'
 * import { define } from '../energy/index.js'
 * import { hessianVectorProduct } from './hessian-vector-product.js'
 * // E(x) = x₀² + 3x₁², whose Hessian is diag(2, 6)
 * const e = define({ shape: [2], build: (x) => ir.sum(ir.mul(ir.square(x), ir.constant([1, 3], [2])), 1) })
 * assert.deepEqual(hessianVectorProduct(e, {}, [0.5, -1])(new Float64Array([1, 1])), new Float64Array([2, 6]))
 */
export const hessianVectorProduct = (
  energy: Energy,
  params: Params,
  x: ArrayLike<number>,
): ((v: Float64Array) => Float64Array) => {
  const p = program(checkEnergy(energy, 'hessianVectorProduct: energy'), 1)
  const dimension = ir.size(p.x.shape)
  const position = numbers(x, 'hessianVectorProduct: x', { length: dimension, lengthReason: `configurations of energy '${energy.name}'` })
  // the direction is an input like x; its name must not collide with a parameter's
  let name = 'direction'
  while (name in energy.params) name = `_${name}`
  const direction = ir.input(name, p.x.shape)
  const [gradient] = ir.grad(ir.sum(p.energy), [p.x])
  const [product] = ir.grad(ir.sum(ir.mul(gradient, direction)), [p.x])
  const tape = ir.compile([product], [p.x, direction, ...p.paramList])
  return (v) => {
    array(v, 'hessianVectorProduct: v', { length: dimension, lengthReason: `configurations of energy '${energy.name}'` })
    return ir.evaluate(tape, { ...params, x: position, [name]: v })[0]
  }
}

/**
 * The largest curvature of an energy at x: power iteration (`largestEigenvalue`) on its Hessian-vector
 * products. With a Langevin step h, `langevinStability(h, eigenvalue)` says how hot the chain runs
 * there and whether it is near divergence.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../ir/index.js'
 * import { define } from '../energy/index.js'
 * import { largestCurvature } from './hessian-vector-product.js'
 * const e = define({ shape: [2], build: (x) => ir.sum(ir.mul(ir.square(x), ir.constant([1, 3], [2])), 1) })
 * assert.equal(largestCurvature(e, {}, [0, 0]).eigenvalue, 6)
 */
export const largestCurvature = (
  energy: Energy,
  params: Params,
  x: ArrayLike<number>,
  options: PowerIterationOptions = {},
): Eigenpair => largestEigenvalue(hessianVectorProduct(energy, params, x), x.length, options)
