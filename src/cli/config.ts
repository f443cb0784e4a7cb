/**
 * The pieces of a run as JSON, decoded with io-ts at the edge and turned into the library's values: an
 * energy from the catalogue, a sampler kernel, chain initialisers, an objective, negatives, an optimizer.
 * Each is an object whose `kind` names the library function and whose other keys are its options, so a
 * config reads like the code it stands for:
 *
 *     { "kind": "adam", "lr": { "kind": "cosine", "from": 0.003, "to": 1e-5, "steps": 5000 }, "betas": [0.5, 0.999] }
 *     is train.adam({ lr: sampler.cosine(0.003, 1e-5, 5000), betas: [0.5, 0.999] })
 *
 * The codecs check the keys and the type of every value; the library's constructors then check the values
 * against each other (β < 1, a sigma or sigmas), and their errors are reported with the path of the part.
 *
 * @module
 */
import * as t from 'io-ts'
import * as energy from '../energy/index.js'
import * as sampler from '../sampler/index.js'
import * as train from '../train/index.js'
import { closed, either, Finite, isObject, NonNegative, nonEmptyArray, oneOf, Positive, PositiveInteger, Probability, tagged } from './codecs.js'
import { input } from './command.js'

const ramp = <K extends string>(kind: K) => closed(`a ${kind} schedule`, { required: { kind: t.literal(kind), from: Finite, to: Finite, steps: PositiveInteger } })

/** A schedule as data (sampler.constant, linear, geometric, cosine). */
export const Schedule = tagged('a schedule', {
  constant: closed('a constant schedule', { required: { kind: t.literal('constant'), value: Finite } }),
  linear: ramp('linear'),
  geometric: ramp('geometric'),
  cosine: ramp('cosine'),
})

/** A number that may change over the steps: a number, or a schedule. */
const scheduled = (value: t.Type<number, number, unknown>) => either(`${value.name} or a schedule { "kind": "cosine", "from", "to", "steps" }`, value, Schedule, (u) => !isObject(u))

const box = closed('a box { "low", "high" }', { required: { low: Finite, high: Finite } })

/** A sampler kernel: sampler.ula, mala, hmc or sghmc with its options, or heatBath (binary units and spins). */
export const Sampler = tagged('a sampler', {
  ula: closed('ULA', {
    required: { kind: t.literal('ula'), stepSize: scheduled(Positive) },
    optional: { temperature: scheduled(NonNegative), noiseScale: scheduled(NonNegative), clip: Positive, clamp: box },
  }),
  mala: closed('MALA', { required: { kind: t.literal('mala'), stepSize: scheduled(Positive) }, optional: { temperature: scheduled(Positive) } }),
  hmc: closed('HMC', { required: { kind: t.literal('hmc'), stepSize: scheduled(Positive), leapfrogSteps: PositiveInteger }, optional: { temperature: scheduled(Positive) } }),
  sghmc: closed('SGHMC', { required: { kind: t.literal('sghmc'), stepSize: scheduled(Positive), friction: Positive }, optional: { temperature: scheduled(NonNegative) } }),
  heatBath: closed('heat bath', { required: { kind: t.literal('heatBath') }, optional: { temperature: scheduled(Positive) } }),
})
export type Sampler = t.TypeOf<typeof Sampler>

/** The names of the samplers. */
export const samplerNames = ['ula', 'mala', 'hmc', 'sghmc', 'heatBath'] as const

/** The kernel a decoded sampler stands for. */
export const kernelOf = (s: Sampler, where: string): sampler.Kernel =>
  input(where, () => {
    const { kind, ...options } = s
    return (sampler[kind] as (o: object) => sampler.Kernel)(options)
  })

/** Where fresh chains start. */
export const Init = tagged('an initialiser', {
  uniform: closed('a uniform initialiser', { required: { kind: t.literal('uniform'), low: Finite, high: Finite } }),
  normal: closed('a normal initialiser', { required: { kind: t.literal('normal'), std: Positive }, optional: { mean: Finite } }),
})

/** An objective: train.contrastive, scoreMatching (with its `form`) or nce. */
export const Objective = tagged('an objective', {
  contrastive: closed('the contrastive objective', { required: { kind: t.literal('contrastive') }, optional: { energyL2: NonNegative, gradientPenalty: NonNegative, weightDecay: NonNegative } }),
  scoreMatching: closed('score matching', {
    required: { kind: t.literal('scoreMatching'), form: oneOf(['exact', 'sliced', 'denoising'] as const) },
    optional: { projections: PositiveInteger, sigma: Positive, sigmas: nonEmptyArray(Positive, 'a non-empty array of positive numbers') },
  }),
  nce: closed('NCE', { required: { kind: t.literal('nce') }, optional: { noise: oneOf(['gaussian', 'diagonal'] as const), ratio: PositiveInteger } }),
})
export type Objective = t.TypeOf<typeof Objective>

/** The objective a decoded one stands for. */
export const objectiveOf = (o: Objective, where: string): train.Objective =>
  input(where, () => {
    if (o.kind === 'scoreMatching') {
      const { kind: _kind, form, ...rest } = o
      return train.scoreMatching({ kind: form, ...rest } as train.ScoreMatchingOptions)
    }
    if (o.kind === 'nce') {
      const { kind: _kind, ...rest } = o
      return train.nce(rest)
    }
    const { kind: _kind, ...rest } = o
    return train.contrastive(rest)
  })

/** Negatives: train.shortRun, contrastiveDivergence or persistent, with `sampler` for their kernel. */
export const Negatives = tagged('negatives', {
  shortRun: closed('short-run negatives', { required: { kind: t.literal('shortRun'), sampler: Sampler, steps: PositiveInteger, init: Init }, optional: { chains: PositiveInteger } }),
  contrastiveDivergence: closed('CD-k negatives', { required: { kind: t.literal('contrastiveDivergence'), sampler: Sampler, steps: PositiveInteger } }),
  persistent: closed('persistent negatives', {
    required: { kind: t.literal('persistent'), sampler: Sampler, steps: PositiveInteger, init: Init },
    optional: { chains: PositiveInteger, bufferSize: PositiveInteger, reinit: Probability },
  }),
})
export type Negatives = t.TypeOf<typeof Negatives>

/** The negatives a decoded description stands for. */
export const negativesOf = (n: Negatives, where: string): train.Negatives => {
  const { kind, sampler: s, ...rest } = n
  const kernel = kernelOf(s, `${where}.sampler`)
  return input(where, () => (train[kind] as (o: object) => train.Negatives)({ kernel, ...rest }))
}

const common = { lr: scheduled(Positive) }
const optional = { clipNorm: Positive, weightDecay: NonNegative }
const adamLike = <K extends string>(kind: K) =>
  closed(kind, { required: { kind: t.literal(kind), ...common }, optional: { ...optional, betas: nonEmptyArray(Probability, 'two numbers [β₁, β₂] in [0, 1)'), eps: Positive } })

/** An optimizer: train.sgd, momentum, adam or adamw. */
export const Optimizer = tagged('an optimizer', {
  sgd: closed('SGD', { required: { kind: t.literal('sgd'), ...common }, optional }),
  momentum: closed('momentum', { required: { kind: t.literal('momentum'), ...common, momentum: Probability }, optional: { ...optional, nesterov: t.boolean } }),
  adam: adamLike('adam'),
  adamw: adamLike('adamw'),
})
export type Optimizer = t.TypeOf<typeof Optimizer>

/** The optimizer a decoded description stands for. */
export const optimizerOf = (o: Optimizer, where: string): train.Optimizer =>
  input(where, () => {
    const { kind, ...options } = o
    return (train[kind] as (o: object) => train.Optimizer)(options)
  })

/** A catalogue energy or combinator: `{ "name": "gmm", "means": …, "sigma": … }`, as energy descriptions are written. */
export const EnergyDescription = new t.Type<energy.Json, unknown, unknown>(
  'an energy { "name", …its options } (a catalogue energy or a combinator)',
  (u): u is energy.Json => isObject(u) && typeof u.name === 'string',
  (u, c) => (isObject(u) && typeof u.name === 'string' ? t.success(u as energy.Json) : t.failure(u, c)),
  t.identity,
)

/** The energy a description stands for. */
export const energyOf = (d: energy.Json, where: string): energy.Energy => input(where, () => energy.fromDescription(d))
