import t from 'tap'
import { gradientNorms, meanGradientNorm } from '../../src/diagnostics/gradient-norm.js'

t.test('gradientNorms gives each chain the Euclidean norm of its gradient', async (t) => {
  t.same([...gradientNorms(new Float64Array([3, 4, 0, 1]), 2)], [5, 1])
  t.throws(() => gradientNorms(new Float64Array(5), 2), { name: 'RangeError', message: 'gradientNorms: gradients: expected a multiple of 2 values (chains of dimension 2), got a Float64Array of length 5' })
})

t.test('meanGradientNorm averages over chains and steps', async (t) => {
  t.equal(meanGradientNorm([[1, 3], new Float64Array([2, 2])]), 2)
  t.throws(() => meanGradientNorm([]), { name: 'RangeError', message: 'meanGradientNorm: normsOverTime: expected at least one gradient norm, got an array of length 0' })
})
