/**
 * The `Energy` value: an energy function described as data.
 *
 * An energy says which shape one configuration has, which parameters it has (names, shapes, how to
 * initialise them from a seed) and how to build its IR: `build(x, params)` takes a batch `x` of shape
 * `[batch, ...shape]` and returns the energy of every configuration, shape `[batch]`. Describing does no
 * work; compiling and running happen elsewhere (samplers, training, the grid).
 *
 * @module
 */
import { func, object, oneOf, positiveInteger, rangeError, seed, typeError } from '../check/index.js'
import * as ir from '../ir/index.js'
import { checkDomain, checkStructure, type Domain, type Structure } from './structure.js'

export type { Domain, Structure } from './structure.js'

/** How a parameter's initial values are drawn from a seed. */
export type Init =
  | { readonly kind: 'zeros' }
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'normal'; readonly std: number }
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'values'; readonly values: readonly number[] }

/** The kinds of {@link Init}. */
export const initKinds = ['zeros', 'constant', 'normal', 'uniform', 'values'] as const

/** A parameter: its shape and its initialiser. */
export interface ParamSpec {
  readonly shape: ir.Shape
  readonly init: Init
}

/** JSON-serialisable data. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json }

/** An energy function E(x; θ) as a plain value. */
export interface Energy {
  readonly kind: 'heatbath.energy'
  /** What it is, in the field's words: 'gaussian', 'mlp', 'sum', ... */
  readonly name: string
  /** The shape of one configuration (without the batch axis), e.g. [2] for points in the plane. */
  readonly shape: ir.Shape
  /** Trainable parameters by name. */
  readonly params: Readonly<Record<string, ParamSpec>>
  /** Builds E for a batch: x has shape [batch, ...shape]; the result has shape [batch]. */
  readonly build: (x: ir.Expr, params: Readonly<Record<string, ir.Expr>>) => ir.Expr
  /** A serialisable description (catalogue name and options) from which the energy can be rebuilt. */
  readonly description: Json
  /** The default seed of `init` for this energy (set by `mlp({ seed })`); `init(e, seed)` overrides it. */
  readonly seed?: number
  /** The values its coordinates take: 'real' numbers, 'binary' units {0, 1} or 'spins' {−1, +1}. */
  readonly domain: Domain
  /** A discrete energy's quadratic structure, from which samplers read local fields (src/energy/structure.ts). */
  readonly structure?: Structure
}

/** Parameter values by name, row-major. */
export type Params = Readonly<Record<string, Float64Array>>

/** True for an Energy value. */
export const isEnergy = (v: unknown): v is Energy =>
  typeof v === 'object' && v !== null && (v as Energy).kind === 'heatbath.energy' && typeof (v as Energy).build === 'function'

/**
 * An Energy value, or a TypeError naming where it was expected.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkEnergy, doubleWell } from './index.js'
 * assert.equal(checkEnergy(doubleWell(), 'sample: energy').name, 'doubleWell')
 * assert.throws(() => checkEnergy({ name: 'doubleWell' }, 'sample: energy'), { name: 'TypeError', message: 'sample: energy: expected an Energy value (built by energy.define or the catalogue), got an object with keys name' })
 */
export const checkEnergy = (v: unknown, where: string): Energy => {
  if (!isEnergy(v)) throw typeError(where, 'an Energy value (built by energy.define or the catalogue)', v)
  return v
}

/** The IR of an energy for a batch size: the input leaf `x`, the param leaves, and E of shape [batch]. */
export interface EnergyProgram {
  readonly x: ir.Expr
  readonly params: Readonly<Record<string, ir.Expr>>
  /** Param leaves in a fixed order (sorted by name), for compile's input list. */
  readonly paramList: readonly ir.Expr[]
  readonly energy: ir.Expr
}

/**
 * Builds the IR of an energy for `batch` configurations: the input is named 'x', each parameter is a param
 * leaf of its own name. Checks that the builder returns shape [batch].
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../ir/index.js'
 * import { define, program } from './energy.js'
 * const quadratic = define({
 *   name: 'quadratic',
 *   shape: [2],
 *   params: { theta: { shape: [2], init: { kind: 'zeros' } } },
 *   build: (x, p) => ir.mul(ir.sum(ir.square(ir.sub(x, p.theta)), 1), 0.5),
 * })
 * const { x, energy } = program(quadratic, 16)
 * assert.deepEqual(energy.shape, [16])
 * assert.throws(() => program(quadratic, 0), { name: 'RangeError', message: 'energy.program: batch: expected an integer ≥ 1, got 0' })
 */
export const program = (e: Energy, batch: number): EnergyProgram => {
  checkEnergy(e, 'energy.program: energy')
  positiveInteger(batch, 'energy.program: batch')
  const x = ir.input('x', [batch, ...e.shape])
  const names = Object.keys(e.params).sort()
  const paramList = names.map((n) => ir.param(n, e.params[n].shape))
  const params = Object.fromEntries(names.map((n, i) => [n, paramList[i]]))
  const energy = e.build(x, params)
  if (!ir.isExpr(energy)) throw typeError(`energy '${e.name}': build(x, params)`, `an expression of shape [${batch}] (one energy per configuration)`, energy)
  if (energy.shape.length !== 1 || energy.shape[0] !== batch) {
    throw new RangeError(`energy '${e.name}': build(x, params): expected shape [${batch}] (one energy per configuration), got ${ir.showShape(energy.shape)}`)
  }
  return { x, params, paramList, energy }
}

/** What `define` takes. */
export interface EnergyDefinition {
  readonly name?: string
  readonly shape: ir.Shape
  readonly params?: Readonly<Record<string, ParamSpec>>
  readonly build: (x: ir.Expr, params: Readonly<Record<string, ir.Expr>>) => ir.Expr
  readonly description?: Json
  readonly seed?: number
  /** 'real' (default), 'binary', 'spins' or 'mixed' (real visible units, then binary hidden ones). */
  readonly domain?: Domain
  /** The quadratic structure of a discrete energy (checked against its size and parameters). */
  readonly structure?: Structure
}

/**
 * Defines an energy from IR ops. The builder is checked once on a batch of 2, so a shape mistake is
 * reported here, naming the energy, rather than when sampling.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../ir/index.js'
 * import { define } from './energy.js'
 * // E(x) = ½‖x − θ‖², the quadratic toy model, with θ trainable
 * const quadratic = define({
 *   name: 'quadratic',
 *   shape: [2],
 *   params: { theta: { shape: [2], init: { kind: 'zeros' } } },
 *   build: (x, p) => ir.mul(ir.sum(ir.square(ir.sub(x, p.theta)), 1), 0.5),
 * })
 * assert.deepEqual(quadratic.shape, [2])
 * assert.throws(() => define({ name: 'flat', shape: [2], build: (x) => x }), { name: 'RangeError', message: "energy 'flat': build(x, params): expected shape [2] (one energy per configuration), got [2,2]" })
 */
export const define = (d: EnergyDefinition): Energy => {
  object(d, 'energy.define: definition')
  const name = d.name ?? 'custom'
  const where = `energy.define('${name}')`
  func(d.build, `${where}: build`)
  const shape = Object.freeze([...ir.checkShape(d.shape, `${where}: shape`)])
  const params: Record<string, ParamSpec> = {}
  for (const [k, spec] of Object.entries(object(d.params ?? {}, `${where}: params`))) {
    if (k === 'x') throw rangeError(`${where}: params`, "parameter names other than 'x' (the input's name)", k)
    const p = object(spec, `${where}: params.${k}`) as unknown as ParamSpec
    oneOf(p.init?.kind, `${where}: params.${k}.init.kind`, initKinds)
    params[k] = Object.freeze({ shape: Object.freeze([...ir.checkShape(p.shape, `${where}: params.${k}.shape`)]), init: p.init })
  }
  const domain = checkDomain(d.domain ?? 'real', `${where}: domain`)
  const structure = d.structure === undefined ? undefined : checkStructure(d.structure, domain, ir.size(shape), params, `${where}: structure`)
  const e: Energy = Object.freeze({
    kind: 'heatbath.energy' as const,
    name,
    shape,
    params: Object.freeze(params),
    build: d.build,
    description: d.description ?? { name },
    ...(d.seed === undefined ? {} : { seed: seed(d.seed, `${where}: seed`) }),
    domain,
    ...(structure === undefined ? {} : { structure }),
  })
  program(e, 2)
  return e
}
