/**
 * The saved descriptions of the energies whose files carry more than a name to check: RBMs and Hopfield
 * networks. A file's description is decoded here, at the edge, before `energy.fromDescription` rebuilds
 * it, so a hand-edited or corrupted file is refused naming its bad field (`energy: visible: expected a
 * positive integer, got 0`). Other energies' descriptions pass as objects with a name: their
 * constructors check the rest.
 *
 * @module
 */
import * as t from 'io-ts'
import { NonNegativeInteger } from './decode.js'

const refined = (name: string, ok: (u: unknown) => boolean): t.Type<number, number, unknown> =>
  new t.Type<number, number, unknown>(name, (u): u is number => ok(u), (u, c) => (ok(u) ? t.success(u as number) : t.failure(u, c)), t.identity)

const PositiveInteger = refined('a positive integer', (u) => Number.isSafeInteger(u) && (u as number) >= 1)
const Positive = refined('a positive number', (u) => typeof u === 'number' && Number.isFinite(u) && u > 0)
const NonNegative = refined('a non-negative number', (u) => typeof u === 'number' && Number.isFinite(u) && u >= 0)
const Spin = refined('a spin (−1 or +1)', (u) => u === 1 || u === -1)

// A field files written before it existed lack: absent, or a valid value (named as the value, so the path stays the field's).
const optional = (c: t.Type<number, number, unknown>): t.Type<number | undefined, number | undefined, unknown> =>
  new t.Type<number | undefined, number | undefined, unknown>(c.name, (u): u is number | undefined => u === undefined || c.is(u), (u, ctx) => (u === undefined ? t.success(undefined) : c.validate(u, ctx)), t.identity)

// An RBM's description: its layers, σ, and how W was drawn (seed and std, saved since they were added).
const rbm = (name: string, units: string, sigma: t.Type<number, number, unknown>) =>
  t.strict({ name: t.literal(name), units: t.literal(units, `"${units}"`), visible: PositiveInteger, hidden: PositiveInteger, sigma, seed: optional(NonNegativeInteger), std: optional(Positive) })

/** The codecs of the descriptions checked field by field, by energy name. */
export const discreteDescriptions: Readonly<Record<string, t.Decoder<unknown, unknown>>> = {
  'rbm.bernoulli': rbm('rbm.bernoulli', 'bernoulli', refined('1', (u) => u === 1)),
  'rbm.gaussianBernoulli': rbm('rbm.gaussianBernoulli', 'gaussianBernoulli', Positive),
  hopfield: t.strict({ name: t.literal('hopfield'), rule: t.keyof({ hebb: null, storkey: null }, '"hebb" or "storkey"'), patterns: t.array(t.array(Spin, 'a pattern of spins'), 'patterns (rows of spins)') }),
  'hopfield.modern': t.strict({ name: t.literal('hopfield.modern'), beta: Positive, count: PositiveInteger, dimension: PositiveInteger, largestSquaredNorm: NonNegative }),
}
