/**
 * Discrete state spaces: an energy's **domain** (real numbers, binary units {0, 1} or spins {−1, +1}) and,
 * for the quadratic energies of the field (Ising lattices, Boltzmann machines, Hopfield networks, the joint
 * energy of an RBM), their **structure**: which units interact, with which couplings, so that a sampler
 * reads a unit's local field in O(degree) instead of evaluating the whole energy.
 *
 * Every structure is an energy of the form E(s) = scale · (−½ sᵀWs − bᵀs) with W symmetric and zero on
 * the diagonal, so E is affine in each unit and the local field
 *
 *     fᵢ = −∂E/∂sᵢ = scale · (Σⱼ Wᵢⱼ sⱼ + bᵢ)
 *
 * gives every single-unit change exactly: E(s with sᵢ = a) − E(s) = −fᵢ · (a − sᵢ). Three kinds:
 *
 * - `lattice`: a periodic rows × columns grid, E = scale · (−J Σᵢ sᵢ (s_right(i) + s_down(i)) − h Σᵢ sᵢ),
 *   fᵢ = scale · (J · (s_up + s_down + s_left + s_right) + h); units numbered row-major.
 * - `dense`: W a [D, D] parameter (symmetric, zero diagonal) and b a [D] parameter (a Boltzmann machine,
 *   a Hopfield network).
 * - `bipartite`: units (v, h) with v the first `visible` and h the last `hidden`, W a [visible, hidden]
 *   parameter and biases a, b: E = scale · (−vᵀWh − aᵀv − bᵀh) (the joint energy of an RBM).
 *
 * The functions below are the reference of what the native handlers compute (native/sampler_units.h and the handlers that include it).
 *
 * @module
 */
import { finite, oneOf, positive, positiveInteger, rangeError, string, typeError } from '../check/index.js'

/**
 * The values a configuration's coordinates take: real numbers, binary units, spins, or 'mixed': real
 * visible units then binary hidden ones (the joint energy of a Gaussian–Bernoulli RBM, sampled by block
 * Gibbs only).
 */
export type Domain = 'real' | 'binary' | 'spins' | 'mixed'

/** A discrete domain. */
export type DiscreteDomain = 'binary' | 'spins'

/** Every domain, the default first. */
export const domains = ['real', 'binary', 'spins', 'mixed'] as const

/**
 * Checks a domain name.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkDomain } from './structure.js'
 * assert.equal(checkDomain('spins', 'energy.define: domain'), 'spins')
 * assert.throws(() => checkDomain('ternary', 'energy.define: domain'), { message: 'energy.define: domain: expected one of "real", "binary", "spins", "mixed", got "ternary"' })
 */
export const checkDomain = (v: unknown, where: string): Domain => oneOf(v, where, domains)

/**
 * The two values of a discrete domain, low then high: [0, 1] for binary units, [−1, 1] for spins.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { unitValues } from './structure.js'
 * assert.deepEqual(unitValues('spins'), [-1, 1])
 */
export const unitValues = (d: DiscreteDomain): readonly [number, number] => (d === 'binary' ? [0, 1] : [-1, 1])

/** How a domain's values are named in errors. */
const valuesOf: Readonly<Record<DiscreteDomain, string>> = { binary: 'a binary unit (0 or 1)', spins: 'a spin (−1 or +1)' }

/**
 * Checks that every value is in a discrete domain (a real or mixed domain accepts anything: a mixed
 * joint's hidden units are drawn before they are read); the error names the first value outside and the
 * energy.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkStates } from './structure.js'
 * checkStates([1, -1, 1], 'spins', 'sample: init', 'ising')
 * assert.throws(() => checkStates([1, 0], 'spins', 'sample: init', 'ising'), { message: "sample: init[1]: expected a spin (−1 or +1) for energy 'ising' (domain 'spins'), got 0" })
 */
export const checkStates = (values: ArrayLike<number>, domain: Domain, where: string, energyName: string): void => {
  if (domain === 'real' || domain === 'mixed') return
  const [low, high] = unitValues(domain)
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== low && values[i] !== high) throw rangeError(`${where}[${i}]`, `${valuesOf[domain]} for energy '${energyName}' (domain '${domain}')`, values[i])
  }
}

/**
 * The state chains start from when no initial positions are given: zeros for real and binary energies,
 * +1 for spins (all up: 0 is not a spin).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { defaultState } from './structure.js'
 * assert.equal(defaultState('spins'), 1)
 */
export const defaultState = (domain: Domain): number => (domain === 'spins' ? 1 : 0)

/** A periodic rows × columns lattice with a uniform coupling J and field h. */
export interface LatticeStructure {
  readonly kind: 'lattice'
  readonly rows: number
  readonly columns: number
  readonly coupling: number
  readonly field: number
  readonly scale: number
}

/** Couplings W [D, D] (symmetric, zero diagonal) and biases b [D], both parameters named here. */
export interface DenseStructure {
  readonly kind: 'dense'
  readonly weights: string
  readonly bias: string
  readonly scale: number
}

/**
 * A bipartite model: W [visible, hidden] between the first `visible` units and the last `hidden`. With
 * `sigma` (domain 'mixed') the visible units are Gaussian of standard deviation σ:
 * E = scale · (‖v − a‖²/(2σ²) − (v/σ)ᵀWh − bᵀh).
 */
export interface BipartiteStructure {
  readonly kind: 'bipartite'
  readonly visible: number
  readonly hidden: number
  readonly weights: string
  readonly visibleBias: string
  readonly hiddenBias: string
  readonly scale: number
  readonly sigma?: number
}

/** The quadratic structure of a discrete energy. */
export type Structure = LatticeStructure | DenseStructure | BipartiteStructure

/** Parameter values by name (as the runners hold them). */
export type ParamValues = Readonly<Record<string, ArrayLike<number>>>

/**
 * How many units a structure has.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { units } from './structure.js'
 * assert.equal(units({ kind: 'lattice', rows: 4, columns: 4, coupling: 1, field: 0, scale: 1 }, 0), 16)
 */
export const units = (s: Structure, dimension: number): number =>
  s.kind === 'lattice' ? s.rows * s.columns : s.kind === 'bipartite' ? s.visible + s.hidden : dimension

/** The parameters a structure reads, with the shapes they must have for `dimension` units. */
export const structureParams = (s: Structure, dimension: number): readonly { readonly role: string; readonly name: string; readonly shape: readonly number[] }[] =>
  s.kind === 'lattice'
    ? []
    : s.kind === 'dense'
      ? [
          { role: 'weights', name: s.weights, shape: [dimension, dimension] },
          { role: 'bias', name: s.bias, shape: [dimension] },
        ]
      : [
          { role: 'weights', name: s.weights, shape: [s.visible, s.hidden] },
          { role: 'visibleBias', name: s.visibleBias, shape: [s.visible] },
          { role: 'hiddenBias', name: s.hiddenBias, shape: [s.hidden] },
        ]

/**
 * The structure multiplied by a positive factor (what `scale` and `temper` do to its energy).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { scaled } from './structure.js'
 * assert.equal(scaled({ kind: 'dense', weights: 'W', bias: 'b', scale: 2 }, 0.25).scale, 0.5)
 */
export const scaled = (s: Structure, factor: number): Structure => Object.freeze({ ...s, scale: s.scale * factor })

/**
 * The neighbours of unit `site` of a periodic rows × columns lattice, in the order up, down, left, right
 * (written into `out`). On a side of 2 two of them are the same unit: two bonds, as the energy counts them.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { latticeNeighbours } from './structure.js'
 * assert.deepEqual(latticeNeighbours(3, 3, 0, [0, 0, 0, 0]), [6, 3, 2, 1])
 */
export const latticeNeighbours = (rows: number, columns: number, site: number, out: number[]): number[] => {
  const r = Math.floor(site / columns)
  const c = site - r * columns
  out[0] = (r === 0 ? rows - 1 : r - 1) * columns + c
  out[1] = (r === rows - 1 ? 0 : r + 1) * columns + c
  out[2] = r * columns + (c === 0 ? columns - 1 : c - 1)
  out[3] = r * columns + (c === columns - 1 ? 0 : c + 1)
  return out
}

const around = [0, 0, 0, 0]

/**
 * The local field fᵢ = −∂E/∂sᵢ of unit `site` of the configuration at x[offset … offset + D).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { localField } from './structure.js'
 * const lattice = { kind: 'lattice', rows: 2, columns: 2, coupling: 0.5, field: 0.1, scale: 1 } as const
 * // unit 0's up and down neighbour is unit 2, its left and right unit 1: J·(2·s₂ + 2·s₁) + h
 * assert.equal(localField(lattice, {}, [1, 1, -1, 1], 0, 0), 0.5 * (2 * -1 + 2 * 1) + 0.1)
 */
export const localField = (s: Structure, params: ParamValues, x: ArrayLike<number>, offset: number, site: number): number => {
  if (s.kind === 'lattice') {
    const n = latticeNeighbours(s.rows, s.columns, site, around)
    return s.scale * (s.coupling * (x[offset + n[0]] + x[offset + n[1]] + x[offset + n[2]] + x[offset + n[3]]) + s.field)
  }
  if (s.kind === 'dense') {
    const W = params[s.weights]
    const D = params[s.bias].length
    let f = 0
    for (let j = 0; j < D; j++) f += W[site * D + j] * x[offset + j]
    return s.scale * (f + params[s.bias][site])
  }
  const W = params[s.weights]
  const { visible: V, hidden: H } = s
  let f = 0
  if (site < V) {
    for (let j = 0; j < H; j++) f += W[site * H + j] * x[offset + V + j]
    return s.scale * (f + params[s.visibleBias][site])
  }
  const k = site - V
  for (let i = 0; i < V; i++) f += W[i * H + k] * x[offset + i]
  return s.scale * (f + params[s.hiddenBias][k])
}

/**
 * The names of a structure's colour classes: sets of units no two of which interact, so that all the
 * units of one class can be updated at once from the same fields. A lattice of even sides has two (the
 * checkerboard's even and odd units, by the parity of row + column); a bipartite model has its layers;
 * a dense model has none.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { colourClasses } from './structure.js'
 * assert.deepEqual(colourClasses({ kind: 'bipartite', visible: 3, hidden: 2, weights: 'W', visibleBias: 'a', hiddenBias: 'b', scale: 1 }), ['visible', 'hidden'])
 * assert.deepEqual(colourClasses({ kind: 'lattice', rows: 3, columns: 4, coupling: 1, field: 0, scale: 1 }), [])
 */
export const colourClasses = (s: Structure): readonly string[] =>
  s.kind === 'bipartite' ? ['visible', 'hidden'] : s.kind === 'lattice' && s.rows % 2 === 0 && s.columns % 2 === 0 ? ['even', 'odd'] : []

/**
 * The units of colour class `k` (0 or 1) in increasing order; class 2 is every unit.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { classUnits } from './structure.js'
 * assert.deepEqual(classUnits({ kind: 'lattice', rows: 2, columns: 2, coupling: 1, field: 0, scale: 1 }, 4, 1), [1, 2])
 */
export const classUnits = (s: Structure, dimension: number, k: number): number[] => {
  const all = Array.from({ length: units(s, dimension) }, (_v, i) => i)
  if (k === 2) return all
  if (s.kind === 'bipartite') return k === 0 ? all.slice(0, s.visible) : all.slice(s.visible)
  if (s.kind === 'lattice') return all.filter((i) => (Math.floor(i / s.columns) + (i % s.columns)) % 2 === k)
  throw new Error(`structure: a dense structure has no colour class ${k}`)
}

/**
 * Calls fn(j, J, bond) for every bond of unit i in a fixed order: its neighbour j, the coupling
 * J = scale · Wᵢⱼ (scale · J on a lattice), and the bond's index among all directed bonds (unit i's bonds
 * are numbered bondOffset(i) …). Wolff's cluster growth draws one uniform per directed bond it tests.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { forEachBond } from './structure.js'
 * const seen: number[][] = []
 * forEachBond({ kind: 'lattice', rows: 3, columns: 3, coupling: 2, field: 0, scale: 0.5 }, {}, 1, (j, J, bond) => seen.push([j, J, bond]))
 * assert.deepEqual(seen, [[7, 1, 4], [4, 1, 5], [0, 1, 6], [2, 1, 7]])
 */
export const forEachBond = (s: Structure, params: ParamValues, i: number, fn: (j: number, J: number, bond: number) => void): void => {
  if (s.kind === 'lattice') {
    const n = latticeNeighbours(s.rows, s.columns, i, [0, 0, 0, 0])
    for (let k = 0; k < 4; k++) fn(n[k], s.scale * s.coupling, 4 * i + k)
    return
  }
  const W = params[s.weights]
  if (s.kind === 'dense') {
    const D = params[s.bias].length
    for (let j = 0, k = 0; j < D; j++) if (j !== i) fn(j, s.scale * W[i * D + j], i * (D - 1) + k++)
    return
  }
  const { visible: V, hidden: H } = s
  if (i < V) for (let j = 0; j < H; j++) fn(V + j, s.scale * W[i * H + j], i * H + j)
  else for (let v = 0; v < V; v++) fn(v, s.scale * W[v * H + (i - V)], V * H + (i - V) * V + v)
}

/**
 * How many directed bonds a structure has (Wolff reserves a draw for each).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { bondCount } from './structure.js'
 * assert.equal(bondCount({ kind: 'dense', weights: 'W', bias: 'b', scale: 1 }, 5), 20)
 */
export const bondCount = (s: Structure, dimension: number): number =>
  s.kind === 'lattice' ? 4 * s.rows * s.columns : s.kind === 'dense' ? dimension * (dimension - 1) : 2 * s.visible * s.hidden

/**
 * The field term of unit i, scale · bᵢ (scale · h on a lattice): what flipping a cluster changes besides
 * its boundary bonds.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { unitBias } from './structure.js'
 * assert.equal(unitBias({ kind: 'lattice', rows: 2, columns: 2, coupling: 1, field: 0.3, scale: 2 }, {}, 3), 0.6)
 */
export const unitBias = (s: Structure, params: ParamValues, i: number): number =>
  s.kind === 'lattice' ? s.scale * s.field : s.kind === 'dense' ? s.scale * params[s.bias][i] : s.scale * (i < s.visible ? params[s.visibleBias][i] : params[s.hiddenBias][i - s.visible])

/**
 * Checks that a dense structure's couplings are symmetric with a zero diagonal (what makes its local
 * fields the energy's exact differences); other structures need nothing. `where` names the matrix.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkCouplings } from './structure.js'
 * const s = { kind: 'dense', weights: 'W', bias: 'b', scale: 1 } as const
 * checkCouplings(s, { W: [0, 1, 1, 0], b: [0, 0] }, 'sample: params.W')
 * assert.throws(() => checkCouplings(s, { W: [0, 1, 2, 0], b: [0, 0] }, 'sample: params.W'), { message: 'sample: params.W[1][0]: expected a symmetric matrix with a zero diagonal ([0][1] is 1), got 2' })
 */
export const checkCouplings = (s: Structure, params: ParamValues, where: string): void => {
  if (s.kind !== 'dense') return
  const W = params[s.weights]
  const D = params[s.bias].length
  for (let i = 0; i < D; i++) {
    for (let j = 0; j <= i; j++) {
      const mirror = i === j ? 0 : W[j * D + i]
      if (W[i * D + j] !== mirror) throw rangeError(`${where}[${i}][${j}]`, `a symmetric matrix with a zero diagonal (${i === j ? 'the diagonal is 0' : `[${j}][${i}] is ${mirror}`})`, W[i * D + j])
    }
  }
}

/**
 * Checks a structure against an energy's domain, dimension and parameters (names present, shapes as
 * the structure needs) and returns it frozen, with scale 1 when not given.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkStructure } from './structure.js'
 * const s = checkStructure({ kind: 'lattice', rows: 2, columns: 3, coupling: 1, field: 0 }, 'spins', 6, {}, 'energy.define: structure')
 * assert.equal(s.scale, 1)
 * assert.throws(() => checkStructure({ kind: 'lattice', rows: 2, columns: 3, coupling: 1, field: 0 }, 'spins', 8, {}, 'energy.define: structure'), { message: 'energy.define: structure (units): expected 8 units (the energy\'s size), got 6' })
 */
export const checkStructure = (v: unknown, domain: Domain, dimension: number, params: Readonly<Record<string, { readonly shape: readonly number[] }>>, where: string): Structure => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw typeError(where, 'a structure (lattice, dense or bipartite)', v)
  if (domain === 'real') throw rangeError(`${where}`, "an energy of domain 'binary', 'spins' or 'mixed' (a structure gives discrete units' local fields)", 'domain real')
  const o = v as Readonly<Record<string, unknown>>
  const kind = oneOf(o.kind, `${where}.kind`, ['lattice', 'dense', 'bipartite'] as const)
  // Gaussian visible units (σ) go with the mixed domain and nothing else.
  if ((domain === 'mixed') !== (o.sigma !== undefined) || (domain === 'mixed' && kind !== 'bipartite')) {
    throw rangeError(`${where}.sigma`, "σ exactly when the domain is 'mixed' (a bipartite model with Gaussian visible units)", o.sigma === undefined ? `none for domain '${domain}'` : `${String(o.sigma)} for domain '${domain}'`)
  }
  const sigma = o.sigma === undefined ? {} : { sigma: positive(o.sigma, `${where}.sigma`) }
  const scale = o.scale === undefined ? 1 : finite(o.scale, `${where}.scale`)
  if (!(scale > 0)) throw rangeError(`${where}.scale`, 'a positive number', scale)
  const s: Structure =
    kind === 'lattice'
      ? { kind, rows: positiveInteger(o.rows, `${where}.rows`), columns: positiveInteger(o.columns, `${where}.columns`), coupling: finite(o.coupling, `${where}.coupling`), field: finite(o.field, `${where}.field`), scale }
      : kind === 'dense'
        ? { kind, weights: string(o.weights, `${where}.weights`), bias: string(o.bias, `${where}.bias`), scale }
        : {
            kind,
            visible: positiveInteger(o.visible, `${where}.visible`),
            hidden: positiveInteger(o.hidden, `${where}.hidden`),
            weights: string(o.weights, `${where}.weights`),
            visibleBias: string(o.visibleBias, `${where}.visibleBias`),
            hiddenBias: string(o.hiddenBias, `${where}.hiddenBias`),
            scale,
            ...sigma,
          }
  if (units(s, dimension) !== dimension) throw rangeError(`${where} (units)`, `${dimension} units (the energy's size)`, units(s, dimension))
  for (const p of structureParams(s, dimension)) {
    const spec = params[p.name]
    if (spec === undefined) throw rangeError(`${where}.${p.role}`, `the name of one of the energy's parameters (${Object.keys(params).join(', ') || 'none'})`, p.name)
    if (spec.shape.length !== p.shape.length || spec.shape.some((n, i) => n !== p.shape[i])) {
      throw rangeError(`${where}.${p.role}`, `a parameter of shape [${p.shape.join(',')}]`, `'${p.name}' of shape [${spec.shape.join(',')}]`)
    }
  }
  return Object.freeze(s)
}
