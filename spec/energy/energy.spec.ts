import t from 'tap'
import * as ir from '../../src/ir/index.js'
import { define, isEnergy, program } from '../../src/energy/energy.js'

const quadratic = define({
  name: 'quadratic',
  shape: [2],
  params: { theta: { shape: [2], init: { kind: 'zeros' } } },
  build: (x, p) => ir.mul(ir.sum(ir.square(ir.sub(x, p.theta)), 1), 0.5),
})

t.test('define returns a frozen Energy value and program builds its IR for a batch', async (t) => {
  t.ok(isEnergy(quadratic))
  t.ok(Object.isFrozen(quadratic))
  const p = program(quadratic, 3)
  t.same(p.x.shape, [3, 2])
  t.same(p.energy.shape, [3])
  t.same(p.paramList.map((e) => e.attrs.name), ['theta'])
  const [E] = ir.evaluate(ir.compile([p.energy], [p.x, ...p.paramList]), { x: [1, 1, 0, 0, 2, 0], theta: [1, 0] })
  t.same(Array.from(E), [0.5, 0.5, 0.5])
})

t.test('define and program name what is wrong', async (t) => {
  t.throws(() => define({ name: 'bad', shape: [2], build: (x) => ir.sum(x, 1, { keepDims: true }) }), { name: 'RangeError', message: 'energy \'bad\': build(x, params): expected shape [2] (one energy per configuration), got [2,1]' })
  t.throws(() => define({ shape: [2], build: 3 as unknown as () => ir.Expr }), { name: 'TypeError', message: 'energy.define(\'custom\'): build: expected a function, got 3' })
  t.throws(() => define({ shape: [-1], build: (x) => ir.sum(x, 1) }), { name: 'RangeError', message: 'energy.define(\'custom\'): shape[0]: expected an integer ≥ 0, got -1' })
  t.throws(() => define({ shape: [2], params: { x: { shape: [1], init: { kind: 'zeros' } } }, build: (x) => ir.sum(x, 1) }), { name: 'RangeError', message: 'energy.define(\'custom\'): params: expected parameter names other than \'x\' (the input\'s name), got "x"' })
  t.throws(() => program({} as never, 2), { name: 'TypeError', message: 'energy.program: energy: expected an Energy value (built by energy.define or the catalogue), got an object with keys (none)' })
  t.throws(() => program(quadratic, 0), { name: 'RangeError', message: 'energy.program: batch: expected an integer ≥ 1, got 0' })
})
