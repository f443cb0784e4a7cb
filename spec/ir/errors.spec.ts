import t from 'tap'
import * as ir from '../../src/ir/index.js'
import { type BadCall, errorTable, rangeError, typeError } from '../errors.js'

const a = ir.input('a', [2, 3])
const x = ir.input('x', [2])
const tape = ir.compile([ir.exp(x)], [x])
const unary = ['neg', 'exp', 'log', 'sqrt', 'square', 'sin', 'cos', 'tanh', 'sigmoid', 'softplus', 'silu', 'relu', 'abs', 'sign'] as const
const binary = ['add', 'sub', 'mul', 'div'] as const
const notAnOperand = (name: string, f: (v: never) => unknown): BadCall =>
  typeError(() => f('y' as never), `ir.${name}: operand: expected an expression or a number, got "y"`)
const broadcastError = (name: string) => `ir.${name}: expected operands that broadcast, got operand shapes [2,3] and [4]`

t.test('every IR function names its bad argument with the right class and the message shape', async (t) => {
  await errorTable(
    t,
    ir,
    {
      ...Object.fromEntries(unary.map((name) => [name, [notAnOperand(name, ir[name])]])),
      ...Object.fromEntries(
        binary.map((name) => [name, [notAnOperand(name, (v) => ir[name](x, v)), rangeError(() => ir[name](a, ir.input('b', [4])), broadcastError(name))]]),
      ),
      pow: [rangeError(() => ir.pow(x, Infinity), 'ir.pow: exponent: expected a finite number, got Infinity')],
      input: [
        rangeError(() => ir.input('', [2]), 'ir.input: name: expected a non-empty string, got ""'),
        typeError(() => ir.input('x', 2 as never), "ir.input('x'): shape: expected an array of integers, got 2"),
      ],
      param: [rangeError(() => ir.param('W', [2 ** 16, 2 ** 16]), "ir.param('W'): shape: expected at most 2^31 elements, got [65536,65536] (4294967296 elements)")],
      constant: [
        rangeError(() => ir.constant([1, 2, 3], [2, 2]), 'ir.constant: value: has 3 values; tensors of shape [2,2] need 4'),
        rangeError(() => ir.constant([[1, 2], [3]]), 'ir.constant: value[1]: expected shape [2], as element 0 has (nested arrays must be rectangular), got [1]'),
        typeError(() => ir.constant({} as never), 'ir.constant: value: expected a number or a (nested) array of numbers, got an object with keys (none)'),
      ],
      lift: [typeError(() => ir.lift(null as never, 'ir.custom'), 'ir.custom: operand: expected an expression or a number, got null')],
      matmul: [
        rangeError(() => ir.matmul(a, a), 'ir.matmul: expected inner extents that agree ([m,k] × [k,n]), got operand shapes [2,3] and [2,3]'),
        rangeError(() => ir.matmul(x, a), 'ir.matmul: expected two operands of rank 2, got operand shapes [2] and [2,3]'),
      ],
      sum: [
        rangeError(() => ir.sum(a, 2), 'ir.sum: axis: expected an integer in [-2, 1] (an axis of rank 2), got 2'),
        typeError(() => ir.sum(a, 1, true as never), 'ir.sum: options: expected an object, got true'),
      ],
      logsumexp: [rangeError(() => ir.logsumexp(a, [0, -2]), 'ir.logsumexp: axis: expected distinct axes, got [0,-2]')],
      mean: [typeError(() => ir.mean(a, 1, { keepDims: 1 as never }), 'ir.mean: options.keepDims: expected true or false, got 1')],
      reshape: [rangeError(() => ir.reshape(a, [4]), 'ir.reshape: expected a shape of 6 elements, got [4] for operand shape [2,3]')],
      broadcast: [rangeError(() => ir.broadcast(a, [3, 3]), 'ir.broadcast: expected a shape the operand broadcasts to, got [3,3] for operand shape [2,3]')],
      broadcastTo: [rangeError(() => ir.broadcastTo(a, [2, 4]), 'ir.broadcast: expected a shape the operand broadcasts to, got [2,4] for operand shape [2,3]')],
      zeros: [rangeError(() => ir.zeros([-1]), 'ir.broadcast: shape[0]: expected an integer ≥ 0, got -1')],
      full: [typeError(() => ir.full('1' as never, [2]), 'ir.constant: value: expected a number or a (nested) array of numbers, got "1"')],
      transpose: [rangeError(() => ir.transpose(a, [1, 1]), 'ir.transpose: perm: expected a permutation of 0..1, got [1,1]')],
      slice: [
        rangeError(() => ir.slice(a, 1, 2, 4), 'ir.slice: expected a range within axis 1 of extent 3, got 2:4 for operand shape [2,3]'),
        typeError(() => ir.slice(a, '1' as never, 0, 1), 'ir.slice: axis: expected an integer in [-2, 1] (an axis of rank 2), got "1"'),
      ],
      concat: [
        typeError(() => ir.concat(a as never, 0), 'ir.concat: xs: expected an array of operands, got an object with keys id, op, inputs, shape, attrs'),
        rangeError(() => ir.concat([a, x], 0), 'ir.concat: expected operands that agree on every axis but 0, got operand shapes [2,3] and [2]'),
      ],
      apply: [
        rangeError(() => ir.apply('conv2d', [a]), /^ir: op: expected one of .*sum.*, got "conv2d"$/),
        rangeError(() => ir.apply('exp', [a, a]), 'ir.exp: expected 1 operand(s), got 2'),
        typeError(() => ir.apply('exp', [3 as never]), 'ir.exp: operands[0]: expected an expression, got 3'),
      ],
      opDef: [rangeError(() => ir.opDef('gelu'), /^ir: op: expected one of .*, got "gelu"$/)],
      checkShape: [typeError(() => ir.checkShape([2, '3'], 'shape'), 'shape[1]: expected an integer ≥ 0, got "3"')],
      grad: [
        rangeError(() => ir.grad(ir.exp(x), [x]), 'ir.grad: y: expected a scalar (for a batch of independent terms differentiate ir.sum(y)), got shape [2]'),
        typeError(() => ir.grad(ir.sum(x), [ir.exp(x)]), "ir.grad: wrt[0]: expected an input or param leaf, got an 'exp' node"),
      ],
      simplify: [rangeError(() => ir.simplify(ir.exp(x), new Map([[x.id, ir.constant(0)]])), /^ir\.simplify: substitute for node \d+ \('input'\): expected shape \[2\], got \[\]$/)],
      topologicalOrder: [typeError(() => ir.topologicalOrder([x, 'y' as never]), 'ir.topologicalOrder: roots[1]: expected an expression, got "y"')],
      leavesOf: [typeError(() => ir.leavesOf(x as never), 'ir.topologicalOrder: roots: expected an array of expressions, got an object with keys id, op, inputs, shape, attrs')],
      compile: [
        typeError(() => ir.compile([ir.exp(x)], [ir.exp(x)]), "ir.compile: inputs[0]: expected an input or param leaf, got an 'exp' node"),
        rangeError(() => ir.compile([ir.exp(x)], []), "ir.compile: inputs: expected every leaf the outputs depend on, got no input 'x' [2]"),
      ],
      validateTape: [
        typeError(() => ir.validateTape({ ...tape, feeds: 'x' }), 'tape.feeds: expected an array, got "x"'),
        rangeError(() => ir.validateTape({ ...tape, slots: [2, 1] }), 'tape.instructions[0]: expected a slot of at least 2 elements (shape [2]), got slot 1 of 1'),
      ],
      parseTape: [
        typeError(() => ir.parseTape(3 as never), 'parseTape: text: expected a string, got 3'),
        typeError(() => ir.parseTape('[1, 2]'), 'tape: expected an object, got an array of length 2'),
        rangeError(() => ir.parseTape('{"format":'), /^parseTape: text: expected the JSON text of a tape, got text that does not parse \(.+\)$/),
      ],
      serializeTape: [rangeError(() => ir.serializeTape({ ...tape, hash: '0' }), /^ir\.serializeTape: tape\.hash: expected [0-9a-f]{64} \(the hash of the tape's content\), got "0"$/)],
      evaluate: [
        typeError(() => ir.evaluate(tape, {}), 'ir.evaluate: feeds.x: expected an array of 2 numbers (an input of shape [2]), got undefined'),
        rangeError(() => ir.evaluate(tape, { x: 1 }), 'ir.evaluate: feeds.x: expected an array of 2 numbers (an input of shape [2]), got 1'),
        rangeError(() => ir.evaluate({ ...tape, version: 0 } as never, { x: [1, 2] }), 'tape.version: expected 1, got 0'),
      ],
      evaluateReference: [rangeError(() => ir.evaluateReference(tape, { x: [1, 2], y: [3] }), 'ir.evaluate: feeds: expected only inputs of the program (x), got "y"')],
      interpret: [
        typeError(() => ir.interpret([x], null as never), 'ir.interpret: feeds: expected an object keyed by input name, got null'),
        typeError(() => ir.interpret(x as never, { x: [1, 2] }), 'ir.interpret: outputs: expected an array of expressions, got an object with keys id, op, inputs, shape, attrs'),
      ],
      feedValues: [rangeError(() => ir.feedValues({ x: [1] }, 'x', [2], 'run'), 'run: feeds.x: has 1 value; inputs of shape [2] need 2')],
      checkFeedNames: [typeError(() => ir.checkFeedNames([] as never, new Set(['x']), 'run'), 'run: feeds: expected an object keyed by input name, got an array of length 0')],
    },
    {
      isExpr: 'a predicate',
      isZero: 'a predicate on an expression',
      isOne: 'a predicate on an expression',
      opNames: 'takes nothing',
      size: 'arithmetic on a shape already checked (by checkShape or a shape rule)',
      showShape: 'formats a shape already checked',
      sameShape: 'compares shapes already checked',
      broadcastShapes: 'returns undefined for shapes that do not broadcast; the shape rules turn that into the error',
      unbroadcast: "a derivative rule's helper: its expression and shape come from the graph",
    },
  )
})
