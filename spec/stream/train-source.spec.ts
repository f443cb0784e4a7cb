/**
 * `stream.trainOnSource`: a record is acknowledged only once a checkpoint on disk holds it (its position,
 * the record count and the operators' states beside the training state); a resumed run counts on; a record
 * that is not a row of the energy's size errors the stream naming its position.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lastValueFrom, toArray } from 'rxjs'
import t from 'tap'
import { loadCheckpoint } from '../../src/io/index.js'
import { fromAsyncIterable, type IndexPosition, resumePosition, trainOnSource } from '../../src/stream/index.js'
import { dataLine, onlineEnergy, onlineOptions } from './fixtures/online.js'

const B = onlineOptions.batchSize
const rows = Array.from({ length: 5 * B + 2 }, (_, i) => JSON.parse(dataLine(i)) as number[])

t.test('each acknowledgement comes after the checkpoint that holds its record is on disk', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-source-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const onDisk: unknown[] = []
  const acknowledged: number[] = []
  const source = fromAsyncIterable(rows, {
    onAcknowledge: (p) => {
      acknowledged.push(p.index)
      onDisk.push(JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')).source)
    },
  })
  let drift = 0
  const records = await lastValueFrom(source.pipe(trainOnSource(onlineEnergy(), { ...onlineOptions, checkpoint: { dir, every: 2 }, operators: () => ({ drift: { alarms: drift++ } }) }), toArray()))
  t.same(records.map((r) => [r.step, r.position.index, r.records]), [0, 1, 2, 3, 4].map((k) => [k, (k + 1) * B - 1, (k + 1) * B]))
  // Checkpoints after steps 1 and 3, and at the end (step 4); the two records left over are not acknowledged.
  t.same(acknowledged, [2 * B - 1, 4 * B - 1, 5 * B - 1])
  t.same(onDisk, [
    { position: { index: 2 * B - 1 }, records: 2 * B, operators: { drift: { alarms: 0 } } },
    { position: { index: 4 * B - 1 }, records: 4 * B, operators: { drift: { alarms: 1 } } },
    { position: { index: 5 * B - 1 }, records: 5 * B, operators: { drift: { alarms: 2 } } },
  ])
  const checkpoint = await loadCheckpoint(dir)
  t.same(resumePosition<IndexPosition>(checkpoint), { index: 5 * B - 1 })
  t.equal(resumePosition(null), undefined)
  const resumed = await lastValueFrom(fromAsyncIterable(rows.slice(2 * B)).pipe(trainOnSource(onlineEnergy(), { ...onlineOptions, resume: checkpoint }), toArray()))
  t.same(resumed.map((r) => [r.step, r.records]), [[5, 6 * B], [6, 7 * B], [7, 8 * B]], 'a resumed run counts on from the checkpoint')
})

t.test('a record that is not a row of the energy\'s size errors the stream naming its position; bad options are named', async (t) => {
  await t.rejects(lastValueFrom(fromAsyncIterable([[1, 2], [3], [5, 6], [7, 8]]).pipe(trainOnSource(onlineEnergy(), onlineOptions))), {
    name: 'RangeError',
    message: /^stream\.trainOnSource: batch 0, record at \{"index":1\}: has 1 value; the energy's 2 dimensions need 2$/,
  })
  t.throws(() => trainOnSource(onlineEnergy(), { ...onlineOptions, operators: 3 as never }), { name: 'TypeError', message: /^stream\.trainOnSource: options\.operators: expected a function/ })
  t.throws(() => trainOnSource({} as never, onlineOptions), { name: 'TypeError', message: /^stream\.trainOnSource: energy/ })
})
