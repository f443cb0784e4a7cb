import t from 'tap'
import { slowWindows } from '../../../src/sampler/adapt/windows.js'

t.test("Stan's windows for its default 1000 warmup steps: 75 | 25 50 100 200 500 | 50", async (t) => {
  t.same(slowWindows(1000), [
    { start: 75, end: 100 },
    { start: 100, end: 150 },
    { start: 150, end: 250 },
    { start: 250, end: 450 },
    { start: 450, end: 950 },
  ])
})

t.test('a window whose doubling would not fit stretches to the final interval', async (t) => {
  t.same(slowWindows(200), [{ start: 75, end: 100 }, { start: 100, end: 150 }])
  t.same(slowWindows(150), [{ start: 75, end: 100 }])
  t.same(slowWindows(500).map((w) => w.end - w.start), [25, 50, 100, 200])
})

t.test('short warmups scale the intervals to 15% and 10%, and below 20 steps no mass matrix adapts', async (t) => {
  t.same(slowWindows(100), [{ start: 15, end: 90 }])
  t.same(slowWindows(20), [{ start: 3, end: 18 }])
  t.same(slowWindows(19), [])
})
