/**
 * Argument checks shared by the RNG's entry points: seeds, streams and indices are integers in [0, 2^53),
 * the range in which a double holds every integer exactly and the key/counter layout is defined.
 *
 * @packageDocumentation
 */

/**
 * Throws unless `value` is an integer in [0, 2^53); the message names the function and the argument.
 *
 * @example
 * checkUint53('uniform', 'seed', 42) // passes
 * // checkUint53('uniform', 'seed', -1) throws "uniform: seed is -1; expected an integer in [0, 2^53)"
 */
export const checkUint53 = (where: string, name: string, value: number): void => {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${where}: ${name} is ${String(value)}; expected an integer in [0, 2^53)`)
  }
}
