/**
 * Rebuilding an energy from its JSON description: the catalogue and the combinators can be rebuilt, so a
 * saved model needs no code. Energies written with `define` and a builder of one's own cannot (a function
 * is not data): loading their parameters needs the energy value passed in.
 *
 * @module
 */
import { rangeError, typeError } from '../check/index.js'
import { type Energy, type Json } from './energy.js'
import { doubleWell, funnel, gaussian, gmm, quadratic, rastrigin, rosenbrock } from './analytic.js'
import { condition, mixture, scale, shift, sum, temper } from './combinators.js'
import { classifier, mlp, network, type MlpOptions } from './neural.js'
import { bipartite, boltzmann, gaussianBipartite } from './discrete.js'
import { lattice } from './ising.js'
import { bernoulli, gaussianBernoulli } from './rbm.js'
import { modernFromDescription, store, type Rule } from './hopfield.js'

type Description = { readonly [k: string]: Json }

const isObject = (v: unknown): v is Description => typeof v === 'object' && v !== null && !Array.isArray(v)

// Options are passed on without the name: each constructor checks its own and names the bad one.
const options = <T>(d: Description): T => {
  const { name: _name, ...rest } = d
  return rest as unknown as T
}

// An RBM's options from its description: `units` says which RBM it is (it must agree with the name), and a
// Bernoulli RBM's σ is 1 (unused).
const rbmOptions = (d: Description, path: string, units: string): Record<string, Json> => {
  const { name: _name, units: given, ...rest } = d
  if (given !== undefined && given !== units) throw rangeError(`energy.fromDescription: ${path}.units`, `"${units}" (as the name ${d.name} says)`, given)
  if (units === 'gaussianBernoulli') return rest
  const { sigma, ...options } = rest
  if (sigma !== undefined && sigma !== 1) throw rangeError(`energy.fromDescription: ${path}.sigma`, "1 (a Bernoulli RBM's visible units have no σ)", sigma)
  return options
}

const inner = (d: Description, path: string): Energy => fromDescriptionAt(d.of, `${path}.of`)

const list = (d: Description, path: string): Energy[] => {
  if (!Array.isArray(d.of)) throw typeError(`energy.fromDescription: ${path}.of`, 'an array of descriptions', d.of)
  return d.of.map((o, k) => fromDescriptionAt(o, `${path}.of[${k}]`))
}

const fromDescriptionAt = (d: unknown, path: string): Energy => {
  if (!isObject(d) || typeof d.name !== 'string') throw typeError(`energy.fromDescription: ${path}`, "an object with a string 'name'", d)
  switch (d.name) {
    case 'quadratic':
      return quadratic(options(d))
    case 'gaussian':
      return gaussian(options(d))
    case 'gmm':
      return gmm(options(d))
    case 'doubleWell':
      return doubleWell(options(d))
    case 'rosenbrock':
      return rosenbrock(options(d))
    case 'rastrigin':
      return rastrigin(options(d))
    case 'funnel':
      return funnel(options(d))
    case 'mlp':
      return mlp(options<MlpOptions>(d))
    case 'classifier': {
      const net = d.network
      if (!isObject(net) || net.name !== 'mlp') {
        throw rangeError(`energy.fromDescription: ${path}.network`, "an MLP's description (a classifier over a network of one's own cannot be rebuilt from JSON: pass the energy value)", net)
      }
      return classifier(network(options<MlpOptions>(net)), d.label === undefined ? {} : { label: d.label as number })
    }
    case 'boltzmann':
      return boltzmann(options(d))
    case 'bipartite':
      return bipartite(options(d))
    case 'gaussianBipartite':
      return gaussianBipartite(options(d))
    case 'ising':
      return lattice(options(d))
    case 'rbm.bernoulli':
      return bernoulli(rbmOptions(d, path, 'bernoulli') as never)
    case 'rbm.gaussianBernoulli':
      return gaussianBernoulli(rbmOptions(d, path, 'gaussianBernoulli') as never)
    case 'hopfield':
      return store(d.patterns as number[][], { rule: d.rule as Rule })
    case 'hopfield.modern':
      return modernFromDescription(d, `energy.fromDescription: ${path}`)
    case 'sum':
      return sum(...list(d, path))
    case 'mixture':
      return mixture(list(d, path), d.weights as number[])
    case 'scale':
      return scale(d.factor as number)(inner(d, path))
    case 'temper':
      return temper(d.T as number)(inner(d, path))
    case 'condition':
      return condition({ indices: d.indices as number[], values: d.values as number[] })(inner(d, path))
    case 'shift':
      return shift(d.offset as number[])(inner(d, path))
    default:
      throw rangeError(
        `energy.fromDescription: ${path}.name`,
        'the name of a catalogue energy or combinator (energies written with energy.define cannot be rebuilt from JSON: pass the energy value)',
        d.name,
      )
  }
}

/**
 * Rebuilds a catalogue energy or a combination of them from its `description`: the analytic and neural
 * energies, the discrete ones (Boltzmann machines, bipartite joints, Ising lattices), RBMs
 * (`rbm.bernoulli`, `rbm.gaussianBernoulli`) and Hopfield networks (`hopfield.store`, `hopfield.modern`,
 * whose patterns X come back as zeros: they are its parameter values, which io.load reads).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { fromDescription, doubleWell, temper } from './index.js'
 * const e = temper(0.5)(doubleWell())
 * const again = fromDescription(JSON.parse(JSON.stringify(e.description)))
 * assert.equal(again.name, 'temper')
 * const rbm = fromDescription({ name: 'rbm.gaussianBernoulli', units: 'gaussianBernoulli', visible: 3, hidden: 2, sigma: 0.5, seed: 1, std: 0.01 })
 * assert.deepEqual([rbm.name, rbm.shape], ['rbm.gaussianBernoulli', [3]])
 * assert.throws(() => fromDescription({ name: 'rbm.bernoulli', units: 'bernoulli', visible: 0, hidden: 2 }), { message: 'rbm.bernoulli: visible: expected an integer ≥ 1, got 0' })
 */
export const fromDescription = (description: Json): Energy => fromDescriptionAt(description, 'description')
