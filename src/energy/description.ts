/**
 * Rebuilding an energy from its JSON description: the catalogue and the combinators can be rebuilt, so a
 * saved model needs no code. Energies written with `define` and a builder of one's own cannot (a function
 * is not data): loading their parameters needs the energy value passed in.
 *
 * @module
 */
import { type Energy, type Json } from './energy.js'
import { doubleWell, funnel, gaussian, gmm, quadratic, rastrigin, rosenbrock } from './analytic.js'
import { condition, mixture, scale, shift, sum, temper } from './combinators.js'
import { classifier, mlp, network, type MlpOptions } from './neural.js'

type Description = { readonly [k: string]: Json }

const isObject = (v: unknown): v is Description => typeof v === 'object' && v !== null && !Array.isArray(v)

// Options are passed on as they are: each constructor checks its own and names the bad one.
const options = <T>(d: Description): T => d as unknown as T

const inner = (d: Description, path: string): Energy => fromDescriptionAt(d.of, `${path}.of`)

const list = (d: Description, path: string): Energy[] => {
  if (!Array.isArray(d.of)) throw new TypeError(`energy.fromDescription: ${path}.of must be an array of descriptions`)
  return d.of.map((o, k) => fromDescriptionAt(o, `${path}.of[${k}]`))
}

const fromDescriptionAt = (d: unknown, path: string): Energy => {
  if (!isObject(d) || typeof d.name !== 'string') throw new TypeError(`energy.fromDescription: ${path} must be an object with a string 'name'`)
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
      if (!isObject(net) || net.name !== 'mlp') throw new RangeError(`energy.fromDescription: ${path}.network is not an MLP description; a classifier over a network of one's own cannot be rebuilt from JSON (pass the energy value)`)
      return classifier(network(options<MlpOptions>(net)), d.label === undefined ? {} : { label: d.label as number })
    }
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
      throw new RangeError(
        `energy.fromDescription: ${path} is a '${d.name}' energy, which is not in the catalogue; energies written with energy.define cannot be rebuilt from JSON (pass the energy value)`,
      )
  }
}

/**
 * Rebuilds a catalogue energy or a combination of them from its `description`.
 *
 * @example
 * import { fromDescription, doubleWell, temper } from './index.js'
 * const e = temper(0.5)(doubleWell())
 * const again = fromDescription(JSON.parse(JSON.stringify(e.description)))
 * again.name // 'temper'
 */
export const fromDescription = (description: Json): Energy => fromDescriptionAt(description, 'description')
