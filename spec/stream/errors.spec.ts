import { from, lastValueFrom, type OperatorFunction, toArray } from 'rxjs'
import { Readable } from 'node:stream'
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as stream from '../../src/stream/index.js'
import * as train from '../../src/train/index.js'
import { errorTable, rangeError, typeError } from '../errors.js'
import { onlineEnergy, onlineOptions } from './fixtures/online.js'
import { run, snapshot } from './snapshots.js'

// A snapshot whose energies do not match its chains: every operator checks each snapshot (rollingReport),
// and errors the stream naming itself and the step.
const inconsistent = { ...snapshot(5, [0, 1]), energies: new Float64Array(3) }
const through = <A, R>(records: readonly A[], operator: OperatorFunction<A, R>): Promise<R[]> => lastValueFrom(from(records).pipe(operator, toArray()))
const well = energy.doubleWell()
const learner = train.online(energy.quadratic({ center: [0] }), { objective: train.scoreMatching({ kind: 'exact' }), optimizer: train.sgd({ lr: 0.1 }), batchSize: 2, seed: 1, backend: 'reference' })
const inconsistentMessage = (name: string) => `${name}: snapshot at step 5: energies: has 3 values; 2 chains need 2`

t.test('every stream operator names its bad argument or snapshot with the right class and the message shape', async (t) => {
  await errorTable(
    t,
    stream,
    {
      adwin: [
        rangeError(() => stream.adwin({ delta: 2 }), 'stream.adwin: delta: expected a number in (0, 1), got 2'),
        typeError(() => through(['x'] as never, stream.adwin()), 'stream.adwin: record 0: expected an object, got "x"'),
      ],
      pageHinkley: [
        rangeError(() => stream.pageHinkley({ minInstances: 0 }), 'stream.pageHinkley: minInstances: expected an integer ≥ 1, got 0'),
        rangeError(() => through([1, { score: NaN }], stream.pageHinkley()), 'stream.pageHinkley: record 1: score: expected a finite number, got NaN'),
      ],
      prequential: [
        typeError(() => stream.prequential(3 as never), 'stream.prequential: learner: expected an object, got 3'),
        rangeError(() => stream.prequential(learner, { highWaterMark: 0 }), 'stream.prequential: highWaterMark: expected an integer ≥ 1, got 0'),
        rangeError(() => through([[1, 2]] as never, stream.prequential(learner)), 'stream.prequential: record 0: has 2 values; configurations of 1 number need 1'),
      ],
      rollingAuprc: [
        rangeError(() => stream.rollingAuprc({ size: 3 } as never), "stream.rollingAuprc: options: unknown option 'size' (options: window)"),
        rangeError(() => through([{ score: Infinity, label: 1 }], stream.rollingAuprc({ window: 3 })), 'stream.rollingAuprc: record 0: score: expected a finite number, got Infinity'),
      ],
      rollingAuroc: [
        rangeError(() => stream.rollingAuroc({ window: 0 }), 'stream.rollingAuroc: window: expected an integer ≥ 1, got 0'),
        rangeError(() => through([{ score: 1, label: 2 }] as never, stream.rollingAuroc({ window: 3 })), 'stream.rollingAuroc: record 0: label: expected a label 0 or 1 (or false, true), got 2'),
      ],
      rollingThreshold: [
        rangeError(() => stream.rollingThreshold({ window: 3, quantile: 1.5 }), 'stream.rollingThreshold: quantile: expected a probability in [0, 1], got 1.5'),
        typeError(() => through([{ score: 'a' }] as never, stream.rollingThreshold({ window: 3, quantile: 0.5 })), 'stream.rollingThreshold: record 0: score: expected a finite number, got "a"'),
      ],
      score: [
        typeError(() => stream.score(3 as never, {}), 'stream.score: energy: expected an Energy value (built by energy.define or the catalogue), got 3'),
        rangeError(() => stream.score(well, {}, { batchSize: 0 }), 'stream.score: batchSize: expected an integer ≥ 1, got 0'),
        rangeError(() => through([[1], [NaN]] as never, stream.score(well, {}, { backend: 'reference' })), 'stream.score: record 1[0]: expected a finite number, got NaN'),
        rangeError(() => through([{ x: [1, 2] }] as never, stream.score(well, {}, { backend: 'reference' })), 'stream.score: record 0: x: has 2 values; configurations of 1 number need 1'),
      ],
      rollingAcceptance: [
        rangeError(() => stream.rollingAcceptance(0), 'rollingAcceptance: size: expected an integer ≥ 1, got 0'),
        typeError(() => run([snapshot(2, [0])], stream.rollingAcceptance(1)), 'rollingAcceptance: snapshot at step 2: accepted: expected per-chain values (this operator needs them), got undefined'),
        rangeError(() => run([inconsistent], stream.rollingAcceptance(1)), inconsistentMessage('rollingAcceptance')),
      ],
      rollingEnergyGap: [
        typeError(() => stream.rollingEnergyGap('2' as never), 'rollingEnergyGap: size: expected an integer ≥ 1, got "2"'),
        typeError(() => run([snapshot(2, [0])], stream.rollingEnergyGap(1)), 'rollingEnergyGap: snapshot at step 2: dataEnergies: expected per-chain values (this operator needs them), got undefined'),
      ],
      rollingEnergyTraces: [
        rangeError(() => stream.rollingEnergyTraces(3), 'rollingEnergyTraces: size: expected an integer ≥ 4, got 3'),
        rangeError(() => run([inconsistent, inconsistent, inconsistent, inconsistent], stream.rollingEnergyTraces(4)), inconsistentMessage('rollingEnergyTraces')),
      ],
      rollingGradientNorm: [
        rangeError(() => stream.rollingGradientNorm(1.5), 'rollingGradientNorm: size: expected an integer ≥ 1, got 1.5'),
        typeError(() => run([snapshot(2, [0])], stream.rollingGradientNorm(1)), 'rollingGradientNorm: snapshot at step 2: gradientNorms: expected per-chain values (this operator needs them), got undefined'),
      ],
      rollingLangevinStability: [
        typeError(() => stream.rollingLangevinStability(2, { stepSize: 0.1 } as never), 'rollingLangevinStability: options.curvature: expected a function, got undefined'),
        rangeError(() => stream.rollingLangevinStability(2, { stepSize: -1, curvature: () => 1 }), 'rollingLangevinStability: options.stepSize: expected a positive number, got -1'),
        rangeError(() => stream.rollingLangevinStability(2, { stepSize: 0.1, curvature: () => 1, warn: 1 } as never), "rollingLangevinStability: options: unknown option 'warn' (options: stepSize, curvature, temperature, warnAt)"),
        rangeError(() => run([inconsistent], stream.rollingLangevinStability(1, { stepSize: 0.1, curvature: () => 1 })), inconsistentMessage('rollingLangevinStability')),
      ],
      rollingNonFinite: [
        rangeError(() => stream.rollingNonFinite(0), 'rollingNonFinite: size: expected an integer ≥ 1, got 0'),
        rangeError(() => run([inconsistent], stream.rollingNonFinite(1)), inconsistentMessage('rollingNonFinite')),
      ],
      rollingStagnation: [
        rangeError(() => stream.rollingStagnation(1), 'rollingStagnation: size: expected an integer ≥ 2, got 1'),
        rangeError(() => stream.rollingStagnation(2, -0.5), 'rollingStagnation: tolerance: expected a number ≥ 0, got -0.5'),
        rangeError(() => run([inconsistent, inconsistent], stream.rollingStagnation(2)), inconsistentMessage('rollingStagnation')),
      ],
      rollingWindow: [
        rangeError(() => stream.rollingWindow(0), 'rollingWindow: size: expected an integer ≥ 1, got 0'),
        typeError(() => stream.rollingWindow(null as never), 'rollingWindow: size: expected an integer ≥ 1, got null'),
      ],
      pullBatches: [typeError(() => stream.pullBatches(3 as never), 'stream.pullBatches: source: expected an iterable or async iterable of batches, got 3')],
      boundedConcatMap: [
        typeError(() => stream.boundedConcatMap(42 as never), 'boundedConcatMap: step: expected a function, got 42'),
        rangeError(() => stream.boundedConcatMap(async (x) => x, { highWaterMark: 0 }), 'boundedConcatMap: highWaterMark: expected an integer ≥ 1, got 0'),
      ],
      dropOldest: [rangeError(() => stream.dropOldest(0), 'stream.dropOldest: capacity: expected an integer ≥ 1, got 0')],
      reservoir: [
        rangeError(() => stream.reservoir(0, 1), 'stream.reservoir: size: expected an integer ≥ 1, got 0'),
        rangeError(() => stream.reservoir(4, -1), 'stream.reservoir: seed: expected an integer in [0, 2^53), got -1'),
      ],
      fromAsyncIterable: [typeError(() => stream.fromAsyncIterable(42 as never), 'stream.fromAsyncIterable: iterable: expected an iterable or async iterable, got 42')],
      fromReadable: [
        typeError(() => stream.fromReadable(42 as never, { format: 'jsonl' }), 'stream.fromReadable: readable: expected a Node Readable, got 42'),
        rangeError(() => stream.fromReadable(Readable.from([]), { format: 'jsonl', header: true }), 'stream.fromReadable: options.header: expected false (JSON lines have no header), got true'),
      ],
      tailFile: [
        typeError(() => stream.tailFile(3 as never, { format: 'jsonl' }), 'stream.tailFile: path: expected a string, got 3'),
        rangeError(() => stream.tailFile('a.jsonl', { format: 'jsonl', pollMs: 0 }), 'stream.tailFile: options.pollMs: expected an integer ≥ 1, got 0'),
      ],
      fromRedisStream: [
        rangeError(() => stream.fromRedisStream({ url: 'http://localhost', stream: 's', group: 'g', consumer: 'a' }), 'stream.fromRedisStream: options.url: expected a redis:// or rediss:// URL, got "http://localhost"'),
        rangeError(() => stream.fromRedisStream({ url: 'redis://localhost', stream: 's', group: 'g', consumer: 'a', from: { id: 'last' } }), 'stream.fromRedisStream: options.from.id: expected an entry id <milliseconds>-<sequence>, got "last"'),
      ],
      trainOnSource: [
        typeError(() => stream.trainOnSource(3 as never, {} as never), 'stream.trainOnSource: energy: expected an Energy value (built by energy.define or the catalogue), got 3'),
        typeError(() => stream.trainOnSource(onlineEnergy(), { ...onlineOptions, operators: 3 as never }), 'stream.trainOnSource: options.operators: expected a function, got 3'),
      ],
      train: [
        typeError(() => stream.train(3 as never, {} as never), 'stream.train: energy: expected an Energy value (built by energy.define or the catalogue), got 3'),
        typeError(() => stream.train(energy.doubleWell(), {} as never), 'stream.train: seed: expected an integer in [0, 2^53), got undefined'),
      ],
    },
    {
      isPullable: 'a predicate: it answers false for anything that is not pullable',
      resumePosition: 'reads a checkpoint that io.loadCheckpoint has checked; undefined for none',
      // Its options are checked by src/sampler's checkRun (the sampler's messages are checked there).
      sample$: "checked by sampler.checkRun, whose messages are src/sampler's",
    },
  )
})
