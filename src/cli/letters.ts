/**
 * Letters drawn on 10 × 10 cells ('#' ink, '.' paper): the memories `heatbath hopfield` stores by default,
 * the same as examples/hopfield-letters.ts draws.
 *
 * @module
 */

const drawings: Readonly<Record<string, readonly string[]>> = {
  H: ['##......##', '##......##', '##......##', '##......##', '##########', '##########', '##......##', '##......##', '##......##', '##......##'],
  O: ['..######..', '.########.', '##......##', '##......##', '##......##', '##......##', '##......##', '##......##', '.########.', '..######..'],
  P: ['########..', '#########.', '##.....###', '##......##', '##.....###', '#########.', '########..', '##........', '##........', '##........'],
  T: ['##########', '##########', '....##....', '....##....', '....##....', '....##....', '....##....', '....##....', '....##....', '....##....'],
  X: ['##......##', '.##....##.', '..##..##..', '...####...', '....##....', '....##....', '...####...', '..##..##..', '.##....##.', '##......##'],
}

/** The letters there are drawings of. */
export const letterNames = Object.keys(drawings).join('')

/** The side of a letter's square of cells. */
export const letterSide = 10

/**
 * A letter as spins, row by row: +1 for ink, −1 for paper.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { letter } from './letters.js'
 * // Two rows of bar, then the stem in the middle of the third row.
 * assert.deepEqual(letter('T').slice(18, 26), [1, 1, -1, -1, -1, -1, 1, 1])
 */
export const letter = (name: string): number[] => [...drawings[name].join('')].map((c) => (c === '#' ? 1 : -1))
