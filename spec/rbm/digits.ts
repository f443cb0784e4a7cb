/** The 1,797 8 × 8 digits of spec/fixtures/digits (grey levels 0 … 16), for the RBM specs, examples and benchmark. */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'

const path = fileURLToPath(new URL('../fixtures/digits/digits.csv.gz', import.meta.url))

/** Images row-major (n × 64 grey levels) and their labels. */
export const digits = (): { images: Float64Array; labels: Uint8Array; count: number } => {
  const lines = gunzipSync(readFileSync(path)).toString('utf8').trim().split('\n')
  const images = new Float64Array(lines.length * 64)
  const labels = new Uint8Array(lines.length)
  lines.forEach((line, r) => {
    const v = line.split(',').map(Number)
    images.set(v.slice(0, 64), r * 64)
    labels[r] = v[64]
  })
  return { images, labels, count: lines.length }
}

/** The images scaled to [0, 1] (grey level / 16), as scikit-learn's RBM test scales them. */
export const scaledDigits = (): Float64Array => digits().images.map((x) => x / 16)

/** The images binarized at half intensity (grey level > 8). */
export const binarizedDigits = (): Float64Array => digits().images.map((x) => (x > 8 ? 1 : 0))
