/** The numbers examples/hopfield-letters.ts and examples/hopfield-capacity.ts print (the latter in its quick form). */
import t from 'tap'

process.env.HEATBATH_EXAMPLE_QUICK = '1'
const quietly = async <M>(load: () => Promise<M>): Promise<M> => {
  const log = console.log
  console.log = () => {}
  try {
    return await load()
  } finally {
    console.log = log
  }
}

t.test('hopfield-letters: every letter cued with 30% of its pixels flipped comes back whole, at a fixed point', async (t) => {
  const { retrieval } = await quietly(() => import('../../examples/hopfield-letters.js'))
  for (let m = 0; m < 5; m++) t.equal(retrieval.overlaps[m * 5 + m], 1, `letter ${m}`)
  t.same(retrieval.endings, new Array(5).fill('fixed point'))
})

t.test('hopfield-capacity (quick: N = 500, 20 cues): Hebb retrieves all at α = 0.08, some at 0.14, none at 0.2; Storkey all', async (t) => {
  const { curve } = await quietly(() => import('../../examples/hopfield-capacity.js'))
  t.equal(curve['hebb 500 0.08'], 1)
  t.equal(curve['hebb 500 0.14'], 0.4)
  t.equal(curve['hebb 500 0.2'], 0)
  t.same([0.08, 0.14, 0.2].map((a) => curve[`storkey 500 ${a}`]), [1, 1, 1])
})
