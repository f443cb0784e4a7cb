/**
 * What the checkers share: their random streams (apart from every chain's), their common options, and
 * running a kernel from given positions and momenta.
 *
 * @module
 */
import * as check from '../check/index.js'
import type { Backend, Dtype } from '../backend/index.js'
import * as sampler from '../sampler/index.js'
import type { Energy } from '../energy/index.js'
import * as rng from '../rng/index.js'

/**
 * The streams of the kit's own draws under a check's seed: far above any chain's stream (a chain c draws
 * from stream c), so a check's exact draws never share numbers with the chains it runs.
 */
export const streams = {
  start: 2 ** 52,
  fresh: 2 ** 52 + 1,
  momentum: 2 ** 52 + 2,
  permutations: 2 ** 52 + 3,
} as const

/** Where a check runs its chains (as `sample`'s options). */
export interface RunAt {
  /** 'auto' (default), 'reference' or 'native'. */
  readonly backend?: Backend
  /** Native worker threads (default 1). */
  readonly threads?: number
  /** 'float64' (default) or 'float32' (native only). */
  readonly dtype?: Dtype
  /** Parameter values of the energy by name (default: its initial values). */
  readonly params?: Readonly<Record<string, ArrayLike<number>>>
}

/** The names of {@link RunAt}'s options. */
export const runAtNames = ['backend', 'threads', 'dtype', 'params'] as const

/** A kernel, or an error naming the checker: a value that is not a kernel never runs. */
export const checkedKernel = (kernel: unknown, where: string): sampler.Kernel => sampler.checkKernel(kernel, where)

/** A kernel's name for messages: a named sequence's name ('mala'), else its block type. */
export const kernelName = (k: sampler.Kernel): string => ('name' in k && typeof k.name === 'string' ? k.name : k.type)

/** The final state of chains run from given positions and momenta. */
export interface Ran {
  readonly positions: Float64Array
  readonly momenta: Float64Array
  readonly alive: Uint8Array
  readonly accepted: Float64Array
}

/**
 * Runs `kernel` on `energy` for steps from … to − 1 from the given positions and momenta (row-major
 * [chains × D]) under `seed`.
 */
export const runFrom = async (energy: Energy, kernel: sampler.Kernel, at: RunAt, o: { readonly positions: Float64Array; readonly momenta?: Float64Array; readonly seed: number; readonly from?: number; readonly steps: number }): Promise<Ran> => {
  const dimension = energy.shape.reduce((a, b) => a * b, 1)
  const r = sampler.runner(energy, kernel, { chains: o.positions.length / dimension, init: o.positions, ...at })
  if (o.momenta !== undefined) r.state.momentum.set(o.momenta)
  const from = o.from ?? 0
  await r.run({ seed: o.seed, from, to: from + o.steps })
  return { positions: Float64Array.from(r.state.position), momenta: Float64Array.from(r.state.momentum), alive: Uint8Array.from(r.state.alive), accepted: Float64Array.from(r.state.accepted) }
}

/** N(0, T·I) momenta for `count` numbers: the momentum's law at stationarity, where every kernel of the package keeps it. */
export const momentaAt = (temperature: number, count: number, seed: number): Float64Array => rng.normals(seed, streams.momentum, 0, count).map((z) => Math.sqrt(temperature) * z)

/** The options every checker takes besides its own, checked. */
export const runAtOf = (o: Readonly<Partial<RunAt>>): RunAt => ({
  ...(o.backend === undefined ? {} : { backend: o.backend }),
  ...(o.threads === undefined ? {} : { threads: o.threads }),
  ...(o.dtype === undefined ? {} : { dtype: o.dtype }),
  ...(o.params === undefined ? {} : { params: o.params }),
})

/** The seed of a check (default 0). */
export const seedOf = (v: unknown, where: string): number => (v === undefined ? 0 : check.seed(v, where))
