/**
 * Combinators: new energies from old ones. Unary combinators are data-last, so they pipe:
 * `pipe(doubleWell(), temper(0.1))`. Each keeps a description `{ name, ..., of }` from which
 * `fromDescription` rebuilds it.
 *
 * Parameter names: unary combinators keep the inner energy's names. `sum` and `mixture` prefix the names
 * of part k with `k.` ('0.W0', '1.W0', ...), so equal parts stay distinct; nesting nests the prefixes
 * ('1.0.mean' is parameter 'mean' of part 0 of part 1).
 *
 * @module
 */
import * as ir from '../ir/index.js'
import { array, integer, object, positive, rangeError, typeError, vector } from '../check/index.js'
import { checkEnergy, define, type Energy, type Json, type ParamSpec } from './energy.js'
import { scaled } from './structure.js'

// The parts of an n-ary combinator: equal shapes, and params renamed 'k.name'.
const parts = (es: readonly Energy[], what: string) => {
  if (!Array.isArray(es as unknown)) throw typeError(`${what}: energies`, 'an array of energies', es)
  if (es.length === 0) throw rangeError(`${what}: energies`, 'at least one energy', es)
  es.forEach((e, k) => checkEnergy(e, `${what}: energies[${k}]`))
  const shape = es[0].shape
  es.forEach((e, k) => {
    if (!ir.sameShape(e.shape, shape)) throw new RangeError(`${what}: energies[${k}]: expected an energy of shape ${ir.showShape(shape)} (as energies[0]), got shape ${ir.showShape(e.shape)}`)
    if (e.domain !== es[0].domain) throw rangeError(`${what}: energies[${k}]`, `an energy of domain '${es[0].domain}' (as energies[0])`, `domain '${e.domain}'`)
  })
  const params: Record<string, ParamSpec> = {}
  es.forEach((e, k) => {
    for (const [n, spec] of Object.entries(e.params)) params[`${k}.${n}`] = spec
  })
  const energies = (x: ir.Expr, p: Readonly<Record<string, ir.Expr>>): ir.Expr[] =>
    es.map((e, k) => e.build(x, Object.fromEntries(Object.keys(e.params).map((n) => [n, p[`${k}.${n}`]]))))
  return { shape, params, energies, of: es.map((e) => e.description), domain: es[0].domain }
}

/**
 * The sum of energies E(x) = Σ_k E_k(x): a product of experts, p ∝ Π_k exp(−E_k). Part k's parameters are
 * renamed 'k.name'.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { sum, gaussian, doubleWell, energyAt } from './index.js'
 * const e = sum(doubleWell(), gaussian({ mean: [0] }))
 * assert.deepEqual(Object.keys(e.params), ['1.mean'])
 * assert.deepEqual(energyAt(e, [[1]]), new Float64Array([-0.5]))
 */
export const sum = (...energies: readonly Energy[]): Energy => {
  const p = parts(energies, 'energy.sum')
  return define({
    name: 'sum',
    shape: p.shape,
    params: p.params,
    domain: p.domain,
    build: (x, params) => p.energies(x, params).reduce((a, b) => ir.add(a, b)),
    description: { name: 'sum', of: p.of },
  })
}

/**
 * Another name for {@link sum}: a product of experts multiplies densities, so it adds energies.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { productOfExperts, rastrigin, gaussian } from './index.js'
 * assert.equal(productOfExperts(rastrigin(), gaussian({ mean: [0, 0] })).name, 'sum')
 */
export const productOfExperts = sum

// The domain of an energy multiplied by `factor`, and its structure scaled.
const discrete = (e: Energy, factor: number) => ({ domain: e.domain, ...(e.structure === undefined ? {} : { structure: scaled(e.structure, factor) }) })

/**
 * Multiplies an energy by a constant c > 0.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { scale, doubleWell, energyAt } from './index.js'
 * assert.deepEqual(energyAt(scale(3)(doubleWell()), [[1]]), new Float64Array([-3])) // the same as pipe(doubleWell(), scale(3))
 */
export const scale = (c: number) => {
  const factor = positive(c, 'energy.scale: factor')
  return (e: Energy): Energy => {
    checkEnergy(e, 'energy.scale: energy')
    return define({ name: 'scale', shape: e.shape, params: e.params, build: (x, p) => ir.mul(e.build(x, p), factor), description: { name: 'scale', factor, of: e.description }, seed: e.seed, ...discrete(e, factor) })
  }
}

/**
 * Divides an energy by a temperature: p ∝ exp(−E/T) sharpens into the minima as T → 0 and flattens as T
 * grows.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { temper, doubleWell, energyAt } from './index.js'
 * assert.deepEqual(energyAt(temper(0.1)(doubleWell()), [[1]]), new Float64Array([-10])) // the same as pipe(doubleWell(), temper(0.1))
 */
export const temper = (T: number) => {
  const temperature = positive(T, 'energy.temper: T')
  return (e: Energy): Energy => {
    checkEnergy(e, 'energy.temper: energy')
    return define({ name: 'temper', shape: e.shape, params: e.params, build: (x, p) => ir.div(e.build(x, p), temperature), description: { name: 'temper', T: temperature, of: e.description }, seed: e.seed, ...discrete(e, 1 / temperature) })
  }
}

/** What {@link condition} clamps: coordinate indices and their values. */
export interface Clamp {
  readonly indices: readonly number[]
  readonly values: readonly number[]
}

/**
 * Clamps some coordinates of an energy over vectors (shape [d]) to given values, leaving an energy over the
 * other d − k coordinates in their original order: E'(y) = E(x) with x[indices] = values and the rest of x
 * taken from y.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { condition, gaussian, energyAt } from './index.js'
 * const e = condition({ indices: [0], values: [2] })(gaussian({ mean: [0, 0] }))
 * assert.deepEqual(energyAt(e, [[1]]), new Float64Array([2.5])) // ½(2² + 1²)
 */
export const condition = (clamp: Clamp) => {
  object(clamp, 'energy.condition: clamp')
  const indices = vector(clamp.indices, 'energy.condition: indices')
  indices.forEach((i, j) => integer(i, `energy.condition: indices[${j}]`))
  const values = vector(array(clamp.values, 'energy.condition: values', { length: indices.length, lengthReason: 'the indices' }), 'energy.condition: values')
  return (e: Energy): Energy => {
    checkEnergy(e, 'energy.condition: energy')
    if (e.shape.length !== 1) throw new RangeError(`energy.condition: energy: expected an energy over vectors (shape [d]), got shape ${ir.showShape(e.shape)}`)
    const d = e.shape[0]
    indices.forEach((i, j) => {
      if (i >= d) throw rangeError(`energy.condition: indices[${j}]`, `an index below ${d} (the energy's coordinates)`, i)
      if (indices.indexOf(i) !== j) throw rangeError(`energy.condition: indices[${j}]`, `an index not already clamped (indices[${indices.indexOf(i)}])`, i)
    })
    if (indices.length >= d) throw rangeError('energy.condition: indices', `fewer than ${d} indices (clamping every coordinate leaves nothing to model)`, indices)
    const free = Array.from({ length: d }, (_v, i) => i).filter((i) => !indices.includes(i))
    return define({
      name: 'condition',
      shape: [free.length],
      params: e.params,
      build: (y, p) => {
        const b = y.shape[0]
        const columns = Array.from({ length: d }, (_v, i) => {
          const j = indices.indexOf(i)
          return j >= 0 ? ir.full(values[j], [b, 1]) : ir.slice(y, 1, free.indexOf(i), free.indexOf(i) + 1)
        })
        return e.build(ir.concat(columns, 1), p)
      },
      description: { name: 'condition', indices, values, of: e.description },
      seed: e.seed,
      domain: e.domain,
    })
  }
}

/**
 * The mixture E(x) = −log Σ_k w_k exp(−E_k(x)) = −logsumexp_k(−E_k + log w_k), weights normalised to sum 1
 * (equal when omitted). With normalised E_k it is the energy of the mixture density. Part k's parameters are
 * renamed 'k.name'.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { mixture, gaussian, energyAt } from './index.js'
 * const e = mixture([gaussian({ mean: [-3] }), gaussian({ mean: [3] })], [1, 1])
 * assert.deepEqual(energyAt(e, [[0]]), new Float64Array([4.5]))
 */
export const mixture = (energies: readonly Energy[], weights?: readonly number[]): Energy => {
  const p = parts(energies, 'energy.mixture')
  const raw = weights === undefined ? energies.map(() => 1) : vector(array(weights, 'energy.mixture: weights', { length: p.of.length, lengthReason: 'the energies' }), 'energy.mixture: weights')
  raw.forEach((w, i) => positive(w, `energy.mixture: weights[${i}]`))
  const total = raw.reduce((s, w) => s + w, 0)
  const normalised = raw.map((w) => w / total)
  return define({
    name: 'mixture',
    shape: p.shape,
    params: p.params,
    domain: p.domain,
    build: (x, params) => {
      const b = x.shape[0]
      const columns = p.energies(x, params).map((E, k) => ir.reshape(ir.sub(Math.log(normalised[k]), E), [b, 1]))
      return ir.neg(ir.logsumexp(ir.concat(columns, 1), 1))
    },
    description: { name: 'mixture', weights: normalised, of: p.of as Json[] },
  })
}

/**
 * Shifts the input: E'(x) = E(x − offset), moving every feature of the landscape by `offset` (one number
 * per coordinate, row-major for multi-axis shapes).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { shift, doubleWell, energyAt } from './index.js'
 * assert.deepEqual(energyAt(shift([5])(doubleWell()), [[6]]), new Float64Array([-1]))
 */
export const shift = (offset: readonly number[]) => {
  const by = vector(offset, 'energy.shift: offset')
  return (e: Energy): Energy => {
    checkEnergy(e, 'energy.shift: energy')
    if (e.domain !== 'real') throw rangeError('energy.shift: energy', "an energy of domain 'real' (shifting moves discrete units off their values)", `energy '${e.name}' of domain '${e.domain}'`)
    array(by, 'energy.shift: offset', { length: ir.size(e.shape), lengthReason: `configurations of shape ${ir.showShape(e.shape)}` })
    const o = ir.constant(by, e.shape)
    return define({ name: 'shift', shape: e.shape, params: e.params, build: (x, p) => e.build(ir.sub(x, o), p), description: { name: 'shift', offset: by, of: e.description }, seed: e.seed })
  }
}
