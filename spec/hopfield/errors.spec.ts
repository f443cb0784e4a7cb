import t from 'tap'
import * as hopfield from '../../src/hopfield/index.js'
import { errorTable, rangeError, typeError } from '../errors.js'

t.test('every hopfield function names its bad argument with the right class and the message shape', async (t) => {
  const e = hopfield.store([[1, -1, 1]])
  await errorTable(
    t,
    hopfield,
    {
      store: [
        rangeError(() => hopfield.store([[1, -1], [1]]), 'hopfield.store: patterns[1]: expected a pattern of 2 values (the length of the first), got 1'),
        rangeError(() => hopfield.store([[1, 2]]), 'hopfield.store: patterns[0][1]: expected a spin (−1 or +1), got 2'),
        typeError(() => hopfield.store('HOPE' as never), 'hopfield.store: patterns: expected an array or typed array of numbers, got "HOPE"'),
      ],
      storedPatterns: [rangeError(() => hopfield.storedPatterns(hopfield.modern([[1, 2]]), 'hopfield.retrieve: energy'), "hopfield.retrieve: energy: expected a Hopfield network (hopfield.store), got \"energy 'hopfield.modern'\"")],
      retrieve: [
        rangeError(() => hopfield.retrieve(e, [1, -1], { seed: 1 }), 'hopfield.retrieve: cues: expected a multiple of 3 values (rows of 3 spins), got 2'),
        rangeError(() => hopfield.retrieve(e, [1, -1, 1], { seed: 1, maxSweeps: 0 }), 'hopfield.retrieve: maxSweeps: expected an integer ≥ 1, got 0'),
        rangeError(() => hopfield.retrieve(e, [1, -1, 1], { seed: 1, mode: 'parallel' as never }), 'hopfield.retrieve: mode: expected one of "async", "sync", got "parallel"'),
      ],
      retrievalRate: [rangeError(() => hopfield.retrievalRate({ units: 10, patterns: 2, cues: 3, seed: 1 }), 'hopfield.retrievalRate: cues: expected an integer in [1, 2], got 3')],
      modern: [rangeError(() => hopfield.modern([[1, 2]], { beta: 0 }), 'hopfield.modern: beta: expected a positive number, got 0')],
      update: [rangeError(() => hopfield.update(e, [1, -1, 1]), "hopfield.update: energy: expected a modern Hopfield network (hopfield.modern), got \"energy 'hopfield'\"")],
    },
    { couplings: 'arithmetic on patterns that store has checked (the Patterns value it builds)' },
  )
})
