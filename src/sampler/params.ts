/**
 * An energy's parameter values for a run: defined with the energy (src/energy/params.ts), where
 * evaluating an energy at points checks its parameters the same way.
 */
export { paramValues } from '../energy/params.js'
