/**
 * The Ising model on a periodic L × L square lattice: spins sᵢ ∈ {−1, +1} and
 *
 *     E(s) = −J Σ⟨ij⟩ sᵢ sⱼ − h Σᵢ sᵢ,
 *
 * the first sum over nearest-neighbour pairs (each once: every spin with its right and lower neighbour).
 * At h = 0 and J > 0 it orders below Onsager's T_c = 2J / ln(1 + √2) ≈ 2.269 J. Its exact moments on
 * small lattices, by enumerating every configuration, are what samplers are checked against.
 *
 * @module
 */
import * as ir from '../ir/index.js'
import { finite, integer, options as checkOptions, positive, rangeError } from '../check/index.js'
import { define, type Energy } from './energy.js'

/** Options of {@link lattice}. */
export interface LatticeOptions {
  /** L: the lattice is L × L, periodic (L ≥ 2). */
  readonly size: number
  /** J (default 1): ferromagnetic when positive. */
  readonly coupling?: number
  /** h (default 0): the external field. */
  readonly field?: number
}

/** Onsager's critical temperature of the square lattice at J = 1, h = 0: 2 / ln(1 + √2). */
export const criticalTemperature = 2 / Math.log(1 + Math.SQRT2)

// x shifted by one site along an axis, periodically: y[i] = x[i + 1 mod n].
const roll = (x: ir.Expr, axis: number): ir.Expr => {
  const n = x.shape[axis]
  return ir.concat([ir.slice(x, axis, 1, n), ir.slice(x, axis, 0, 1)], axis)
}

const checkLattice = (options: LatticeOptions, where: string): { size: number; coupling: number; field: number } => {
  const o = checkOptions<LatticeOptions>(options, `${where}: options`, ['size', 'coupling', 'field'])
  // L² spins must fit a tensor (at most 2^31 elements)
  const size = integer(o.size, `${where}: size`, { min: 2, max: 46340 })
  return { size, coupling: finite(o.coupling ?? 1, `${where}: coupling`), field: finite(o.field ?? 0, `${where}: field`) }
}

/**
 * The Ising energy on a periodic L × L lattice (shape [L, L], domain 'spins', a lattice structure: a flip
 * reads four neighbours).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { lattice } from './ising.js'
 * import { energyAt } from './points.js'
 * const e = lattice({ size: 4, coupling: 1, field: 0.5 })
 * assert.deepEqual(energyAt(e, [new Array(16).fill(1)]), new Float64Array([-32 - 8])) // 32 bonds, 16 spins
 * assert.throws(() => lattice({ size: 1 }), { message: 'ising.lattice: size: expected an integer in [2, 46340], got 1' })
 */
export const lattice = (options: LatticeOptions): Energy => {
  const { size, coupling, field } = checkLattice(options, 'ising.lattice')
  return define({
    name: 'ising',
    shape: [size, size],
    build: (s) => {
      const bonds = ir.sum(ir.mul(s, ir.add(roll(s, 2), roll(s, 1))), [1, 2])
      return ir.neg(ir.add(ir.mul(bonds, coupling), ir.mul(ir.sum(s, [1, 2]), field)))
    },
    description: { name: 'ising', size, coupling, field },
    domain: 'spins',
    structure: { kind: 'lattice', rows: size, columns: size, coupling, field, scale: 1 },
  })
}

/** Exact equilibrium moments per spin (m = M/N, e = E/N) at one temperature. */
export interface IsingMoments {
  readonly temperature: number
  /** ⟨e⟩. */
  readonly energy: number
  /** ⟨|m|⟩. */
  readonly absMagnetisation: number
  /** ⟨m²⟩ and ⟨m⁴⟩. */
  readonly magnetisation2: number
  readonly magnetisation4: number
  /** ⟨e²⟩. */
  readonly energy2: number
  /** log Z. */
  readonly logZ: number
}

/** The largest lattice {@link exactMoments} enumerates (2^(L²) configurations). */
export const maxExactSize = 4

/**
 * The exact moments of the Ising lattice at temperature T, by enumerating all 2^(L²) configurations
 * (L ≤ 4: 65,536 of them).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { exactMoments } from './ising.js'
 * const m = exactMoments({ size: 2, temperature: 1e-3 })
 * assert.equal(m.absMagnetisation, 1) // frozen into one of the two ground states
 * assert.equal(m.energy, -2)          // 8 bonds on 4 spins (a side of 2 counts each pair twice)
 */
export const exactMoments = (options: LatticeOptions & { readonly temperature: number }): IsingMoments => {
  const { temperature, ...rest } = checkOptions<LatticeOptions & { readonly temperature: number }>(options, 'ising.exactMoments: options', ['size', 'coupling', 'field', 'temperature'])
  const { size: L, coupling: J, field: h } = checkLattice(rest as LatticeOptions, 'ising.exactMoments')
  const T = positive(temperature, 'ising.exactMoments: temperature')
  if (L > maxExactSize) throw rangeError('ising.exactMoments: size', `at most ${maxExactSize} (2^(L²) configurations are enumerated)`, L)
  const N = L * L
  const s = new Int8Array(N)
  const energies = new Float64Array(2 ** N)
  const magnetisations = new Float64Array(2 ** N)
  for (let k = 0; k < 2 ** N; k++) {
    for (let i = 0; i < N; i++) s[i] = (k >> i) & 1 ? 1 : -1
    let bonds = 0
    let M = 0
    for (let i = 0; i < N; i++) {
      const r = Math.floor(i / L)
      const c = i % L
      bonds += s[i] * (s[r * L + ((c + 1) % L)] + s[((r + 1) % L) * L + c])
      M += s[i]
    }
    energies[k] = -J * bonds - h * M
    magnetisations[k] = M
  }
  const lowest = energies.reduce((a, b) => Math.min(a, b), Infinity)
  let Z = 0
  const sums = [0, 0, 0, 0, 0]
  energies.forEach((E, k) => {
    const w = Math.exp(-(E - lowest) / T)
    const m = magnetisations[k] / N
    const e = E / N
    Z += w
    sums[0] += w * e
    sums[1] += w * e * e
    sums[2] += w * Math.abs(m)
    sums[3] += w * m * m
    sums[4] += w * m ** 4
  })
  return { temperature: T, energy: sums[0] / Z, energy2: sums[1] / Z, absMagnetisation: sums[2] / Z, magnetisation2: sums[3] / Z, magnetisation4: sums[4] / Z, logZ: Math.log(Z) - lowest / T }
}
