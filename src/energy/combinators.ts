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
import { define, type Energy, isEnergy, type Json, type ParamSpec } from './energy.js'
import { finite, integer, positive, vector } from './check.js'

const checkEnergy = (e: unknown, what: string): Energy => {
  if (!isEnergy(e)) throw new TypeError(`${what}: expected an Energy value, got ${typeof e}`)
  return e
}

// The parts of an n-ary combinator: equal shapes, and params renamed 'k.name'.
const parts = (es: readonly Energy[], what: string) => {
  if (es.length === 0) throw new RangeError(`${what}: needs at least one energy`)
  es.forEach((e, k) => checkEnergy(e, `${what}: part ${k}`))
  const shape = es[0].shape
  es.forEach((e, k) => {
    if (!ir.sameShape(e.shape, shape)) throw new RangeError(`${what}: part ${k} takes shape ${ir.showShape(e.shape)}; part 0 takes ${ir.showShape(shape)}`)
  })
  const params: Record<string, ParamSpec> = {}
  es.forEach((e, k) => {
    for (const [n, spec] of Object.entries(e.params)) params[`${k}.${n}`] = spec
  })
  const energies = (x: ir.Expr, p: Readonly<Record<string, ir.Expr>>): ir.Expr[] =>
    es.map((e, k) => e.build(x, Object.fromEntries(Object.keys(e.params).map((n) => [n, p[`${k}.${n}`]]))))
  return { shape, params, energies, of: es.map((e) => e.description) }
}

/**
 * The sum of energies E(x) = Σ_k E_k(x): a product of experts, p ∝ Π_k exp(−E_k). Part k's parameters are
 * renamed 'k.name'.
 *
 * @example
 * import { sum, gaussian, doubleWell, evaluate } from './index.js'
 * const e = sum(doubleWell(), gaussian({ mean: [0] }))
 * Object.keys(e.params) // ['1.mean']
 * evaluate(e, [[1]]) // Float64Array [-0.5]
 */
export const sum = (...energies: readonly Energy[]): Energy => {
  const p = parts(energies, 'energy.sum')
  return define({
    name: 'sum',
    shape: p.shape,
    params: p.params,
    build: (x, params) => p.energies(x, params).reduce((a, b) => ir.add(a, b)),
    description: { name: 'sum', of: p.of },
  })
}

/**
 * Another name for {@link sum}: a product of experts multiplies densities, so it adds energies.
 *
 * @example
 * import { productOfExperts, rastrigin, gaussian } from './index.js'
 * productOfExperts(rastrigin(), gaussian({ mean: [0, 0] })).name // 'sum'
 */
export const productOfExperts = sum

/**
 * Multiplies an energy by a constant c > 0.
 *
 * @example
 * import { scale, doubleWell, evaluate } from './index.js'
 * evaluate(scale(3)(doubleWell()), [[1]]) // Float64Array [-3]; the same as pipe(doubleWell(), scale(3))
 */
export const scale = (c: number) => {
  const factor = positive(c, 'energy.scale: factor')
  return (e: Energy): Energy => {
    checkEnergy(e, 'energy.scale')
    return define({ name: 'scale', shape: e.shape, params: e.params, build: (x, p) => ir.mul(e.build(x, p), factor), description: { name: 'scale', factor, of: e.description }, seed: e.seed })
  }
}

/**
 * Divides an energy by a temperature: p ∝ exp(−E/T) sharpens into the minima as T → 0 and flattens as T
 * grows.
 *
 * @example
 * import { temper, doubleWell, evaluate } from './index.js'
 * evaluate(temper(0.1)(doubleWell()), [[1]]) // Float64Array [-10]; the same as pipe(doubleWell(), temper(0.1))
 */
export const temper = (T: number) => {
  const temperature = positive(T, 'energy.temper: T')
  return (e: Energy): Energy => {
    checkEnergy(e, 'energy.temper')
    return define({ name: 'temper', shape: e.shape, params: e.params, build: (x, p) => ir.div(e.build(x, p), temperature), description: { name: 'temper', T: temperature, of: e.description }, seed: e.seed })
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
 * import { condition, gaussian, evaluate } from './index.js'
 * const e = condition({ indices: [0], values: [2] })(gaussian({ mean: [0, 0] }))
 * evaluate(e, [[1]]) // Float64Array [2.5]: ½(2² + 1²)
 */
export const condition = (clamp: Clamp) => {
  const indices = vector(clamp?.indices, 'energy.condition: indices')
  const values = vector(clamp.values, 'energy.condition: values', indices.length)
  return (e: Energy): Energy => {
    checkEnergy(e, 'energy.condition')
    if (e.shape.length !== 1) throw new RangeError(`energy.condition: the energy takes shape ${ir.showShape(e.shape)}; conditioning needs vectors (shape [d])`)
    const d = e.shape[0]
    indices.forEach((i, j) => {
      integer(i, `energy.condition: indices[${j}]`, 0)
      if (i >= d) throw new RangeError(`energy.condition: indices[${j}] = ${i} is out of range for ${d} coordinates`)
      if (indices.indexOf(i) !== j) throw new RangeError(`energy.condition: indices[${j}] = ${i} is repeated`)
    })
    if (indices.length >= d) throw new RangeError(`energy.condition: clamping all ${d} coordinates leaves nothing to model`)
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
    })
  }
}

/**
 * The mixture E(x) = −log Σ_k w_k exp(−E_k(x)) = −logsumexp_k(−E_k + log w_k), weights normalised to sum 1
 * (equal when omitted). With normalised E_k it is the energy of the mixture density. Part k's parameters are
 * renamed 'k.name'.
 *
 * @example
 * import { mixture, gaussian, evaluate } from './index.js'
 * const e = mixture([gaussian({ mean: [-3] }), gaussian({ mean: [3] })], [1, 1])
 * evaluate(e, [[0]]) // Float64Array [4.5]
 */
export const mixture = (energies: readonly Energy[], weights?: readonly number[]): Energy => {
  const p = parts(energies, 'energy.mixture')
  const raw = weights === undefined ? energies.map(() => 1) : vector(weights, 'energy.mixture: weights', energies.length)
  raw.forEach((w, i) => positive(w, `energy.mixture: weights[${i}]`))
  const total = raw.reduce((s, w) => s + w, 0)
  const normalised = raw.map((w) => w / total)
  return define({
    name: 'mixture',
    shape: p.shape,
    params: p.params,
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
 * import { shift, doubleWell, evaluate } from './index.js'
 * evaluate(shift([5])(doubleWell()), [[6]]) // Float64Array [-1]
 */
export const shift = (offset: readonly number[]) => {
  const by = vector(offset, 'energy.shift: offset')
  by.forEach((v, i) => finite(v, `energy.shift: offset[${i}]`))
  return (e: Energy): Energy => {
    checkEnergy(e, 'energy.shift')
    if (by.length !== ir.size(e.shape)) throw new RangeError(`energy.shift: offset has ${by.length} numbers; the energy's shape ${ir.showShape(e.shape)} needs ${ir.size(e.shape)}`)
    const o = ir.constant(by, e.shape)
    return define({ name: 'shift', shape: e.shape, params: e.params, build: (x, p) => e.build(ir.sub(x, o), p), description: { name: 'shift', offset: by, of: e.description }, seed: e.seed })
  }
}
