/**
 * The acknowledgement ledger every source shares: "up to here" covers the records delivered before, in the
 * order acknowledgements are made; one that fails leaves its keys to the next; a key acknowledged while a
 * read was on its way is still held for that read's reply.
 */
import t from 'tap'
import { ledger } from '../../../src/stream/sources/record.js'

t.test('an acknowledgement covers every key delivered before it, once, in order', async (t) => {
  const applied: string[][] = []
  const hooked: number[] = []
  const l = ledger<number, string>(async (keys) => void applied.push([...keys]), (p) => void hooked.push(p))
  const acks = ['a', 'b', 'c', 'd'].map((k, i) => l.deliver(i, k).acknowledge)
  await acks[1]()
  await acks[0]()
  await Promise.all([acks[3](), acks[2]()])
  t.same(applied, [['a', 'b'], ['c', 'd']])
  t.same(hooked, [1, 3])
})

t.test('a failed acknowledgement leaves its keys to the next one', async (t) => {
  const applied: string[][] = []
  let fail = true
  const l = ledger<number, string>(async (keys) => {
    if (fail) throw new Error('the server went away')
    applied.push([...keys])
  })
  const acks = ['a', 'b'].map((k, i) => l.deliver(i, k).acknowledge)
  await t.rejects(acks[0](), { message: 'the server went away' })
  t.ok(l.holds('a'), 'still unacknowledged')
  fail = false
  await acks[1]()
  t.same(applied, [['a', 'b']])
})

t.test('a key acknowledged since the last mark is held, so that a read sent before the acknowledgement does not deliver it again', async (t) => {
  const l = ledger<number, string>(async () => undefined)
  const ack = l.deliver(0, 'a').acknowledge
  l.mark() // a read goes out while 'a' is delivered, not acknowledged
  await ack() // the acknowledgement lands before the read's reply comes back
  t.ok(l.holds('a'), "the reply naming 'a' is filtered")
  l.mark() // the next read goes out after the acknowledgement: the server no longer has 'a' pending
  t.notOk(l.holds('a'))
})

t.test('each delivery names the keys up to it not acknowledged yet: those a checkpoint holding it must keep', async (t) => {
  let fail = false
  const l = ledger<number, string>(async () => {
    if (fail) throw new Error('the server went away')
  })
  const d = ['a', 'b', 'c', 'd', 'e'].map((k, i) => l.deliver(i, k))
  t.same(d[2].unacknowledged(), ['a', 'b', 'c'], 'up to it, itself included, not those after')
  await d[1].acknowledge()
  t.same(d[2].unacknowledged(), ['c'], 'an applied acknowledgement takes its keys off')
  fail = true
  await t.rejects(d[3].acknowledge())
  t.same(d[4].unacknowledged(), ['c', 'd', 'e'], 'a failed one leaves them on')
})
