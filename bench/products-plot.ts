/**
 * The picture of issue 18: % of the two-core FP32 peak against the products' work per step, one marker per
 * grid point for heatbath (its better thread setting), PyTorch (likewise) and OpenBLAS sgemm alone on the
 * same products, with the issue's 80% target dashed. It draws the medians bench/products.ts writes with
 * --json, as a small hand-written SVG (no plotting dependency).
 *
 *   npx tsx bench/products.ts --json run.json && npx tsx bench/products-plot.ts run.json [docs/images/products-peak.svg]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

/** One system at one grid point: its medians at 1 and 2 threads and its better setting. */
export interface SystemResult {
  readonly perSecond: readonly [number, number]
  readonly threads: 1 | 2
  readonly gflops: number
  readonly percentOfPeak: number
}

/** One grid point's medians (bench/products.ts). */
export interface ProductsPoint {
  readonly D: number
  readonly H: number
  readonly chains: number
  readonly mflopPerStep: number
  readonly peakGflops: number
  readonly heatbath: SystemResult
  readonly pytorch: SystemResult
  readonly sgemm: SystemResult
  /** heatbath ÷ PyTorch, best settings, the median of the rounds' ratios. */
  readonly ratio: number
  /** heatbath's steps/s on two threads ÷ on one, the median of the rounds' ratios (absent in runs before it was measured). */
  readonly scaling?: number
  readonly callMs: number
  readonly workingSet: { readonly block: number; readonly tapeBytes: number; readonly packedBytes: number; readonly stateBytes: number }
}

/** What bench/products.ts --json writes. */
export interface ProductsRun {
  readonly isa: string
  readonly date: string
  readonly rounds: number
  readonly seconds: number
  readonly loadAverage: readonly number[]
  readonly peakGflops: number
  readonly points: readonly ProductsPoint[]
}

type Marker = 'circle' | 'square' | 'triangle'
const series: readonly { key: 'heatbath' | 'pytorch' | 'sgemm'; label: string; color: string; marker: Marker }[] = [
  { key: 'heatbath', label: 'heatbath, best of 1/2 threads', color: '#c0392b', marker: 'circle' },
  { key: 'pytorch', label: 'PyTorch, best of 1/2 threads', color: '#2471a3', marker: 'square' },
  { key: 'sgemm', label: 'OpenBLAS sgemm, the products alone', color: '#239b56', marker: 'triangle' },
]

const width = 800
const height = 470
const box = { left: 70, right: width - 24, top: 78, bottom: height - 62 }
const target = 80
const targetFrom = 50

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const f1 = (x: number) => x.toFixed(1)
const grouped = (x: number) => String(x).replace(/\B(?=(\d{3})+$)/g, '\u2009')

/** A marker of `size` (its half-width) centred at (x, y). */
const marker = (kind: Marker, x: number, y: number, color: string, size = 5): string => {
  if (kind === 'circle') return `<circle cx="${f1(x)}" cy="${f1(y)}" r="${size}" fill="${color}"/>`
  if (kind === 'square') return `<rect x="${f1(x - size)}" y="${f1(y - size)}" width="${2 * size}" height="${2 * size}" fill="none" stroke="${color}" stroke-width="2"/>`
  const h = size * 1.2
  return `<path d="M${f1(x)},${f1(y - h)} L${f1(x + h)},${f1(y + h * 0.8)} L${f1(x - h)},${f1(y + h * 0.8)} Z" fill="none" stroke="${color}" stroke-width="2"/>`
}

/** The scales: x over whole decades of MFLOP around the points (log), y from 0 to 100% (more if a point is over). */
const scales = (points: readonly ProductsPoint[]) => {
  const xs = points.map((p) => p.mflopPerStep)
  const lo = Math.floor(Math.log10(Math.min(...xs)))
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...xs))))
  const top = Math.max(100, ...points.flatMap((p) => series.map((s) => Math.ceil(p[s.key].percentOfPeak / 20) * 20)))
  return {
    lo,
    hi,
    top,
    x: (mflop: number) => box.left + ((Math.log10(mflop) - lo) / (hi - lo)) * (box.right - box.left),
    y: (percent: number) => box.bottom - (percent / top) * (box.bottom - box.top),
  }
}

const axes = (s: ReturnType<typeof scales>): string[] => {
  const out: string[] = []
  for (let d = s.lo; d <= s.hi; d++) {
    const x = s.x(10 ** d)
    out.push(`<line x1="${f1(x)}" y1="${box.top}" x2="${f1(x)}" y2="${box.bottom}" stroke="#ddd"/>`)
    out.push(`<text x="${f1(x)}" y="${box.bottom + 18}" text-anchor="middle">${grouped(10 ** d)}</text>`)
    if (d < s.hi)
      for (let k = 2; k < 10; k++) out.push(`<line x1="${f1(s.x(k * 10 ** d))}" y1="${box.bottom}" x2="${f1(s.x(k * 10 ** d))}" y2="${box.bottom + 4}" stroke="#555"/>`)
  }
  for (let p = 0; p <= s.top; p += 20) {
    const y = s.y(p)
    out.push(`<line x1="${box.left}" y1="${f1(y)}" x2="${box.right}" y2="${f1(y)}" stroke="#ddd"/>`)
    out.push(`<text x="${box.left - 8}" y="${f1(y + 4)}" text-anchor="end">${p}</text>`)
  }
  out.push(`<rect x="${box.left}" y="${box.top}" width="${box.right - box.left}" height="${box.bottom - box.top}" fill="none" stroke="#555"/>`)
  // The target holds from 50 MFLOP of products a step on.
  const y80 = s.y(target)
  const x50 = Math.min(box.right, Math.max(box.left, s.x(targetFrom)))
  out.push(`<line x1="${f1(x50)}" y1="${f1(y80)}" x2="${box.right}" y2="${f1(y80)}" stroke="#555" stroke-width="1.5" stroke-dasharray="6 4"/>`)
  out.push(`<text x="${box.right - 6}" y="${f1(y80 - 6)}" text-anchor="end" fill="#555">${target}%: the issue's target for products ≥ ${targetFrom} MFLOP</text>`)
  out.push(`<text x="${(box.left + box.right) / 2}" y="${height - 22}" text-anchor="middle">products' work per step, MFLOP (4·chains·(D·H + H² + H), log scale)</text>`)
  out.push(`<text transform="translate(18 ${(box.top + box.bottom) / 2}) rotate(-90)" text-anchor="middle">% of the two-core FP32 peak</text>`)
  return out
}

// One row of entries, each as wide as its label (about 6.6 px a character at 12 px).
const legend = (): string[] => {
  let x = box.left + 6
  return series.map((s) => {
    const entry = `${marker(s.marker, x + 5, 58, s.color)}<text x="${x + 16}" y="62">${esc(s.label)}</text>`
    x += 16 + s.label.length * 6.6 + 24
    return entry
  })
}

/** The SVG of one run. */
export const productsSvg = (run: ProductsRun): string => {
  const s = scales(run.points)
  const dots = run.points.flatMap((p) =>
    series.map((ser) => {
      const r = p[ser.key]
      const tip = `${ser.key} ${p.D}→${p.H}, ${p.chains} chains: ${r.gflops.toFixed(1)} GFLOP/s, ${r.percentOfPeak.toFixed(0)}% (${r.threads} thread${r.threads > 1 ? 's' : ''})`
      return `<g>${marker(ser.marker, s.x(p.mflopPerStep), s.y(r.percentOfPeak), ser.color)}<title>${esc(tip)}</title></g>`
    }),
  )
  const title = 'The products at every size: ULA on the MLP D→H→H→1, float32'
  const note = `${run.points.length} grid points, ${run.rounds} round${run.rounds > 1 ? 's' : ''} of ${run.seconds} s turns · peak ${run.peakGflops.toFixed(0)} GFLOP/s (FMA probe) · ${run.isa} · load ${run.loadAverage[0].toFixed(1)} · ${run.date.slice(0, 16).replace('T', ' ')} UTC`
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${box.left}" y="20" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="${box.left}" y="38" fill="#555">${esc(note)}</text>`,
    ...legend(),
    ...axes(s),
    ...dots,
    '</svg>',
    '',
  ].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [input, output = 'docs/images/products-peak.svg'] = process.argv.slice(2)
  if (input === undefined) throw new Error('usage: npx tsx bench/products-plot.ts run.json [out.svg]')
  const run = JSON.parse(readFileSync(input, 'utf8')) as ProductsRun
  mkdirSync(dirname(output), { recursive: true })
  writeFileSync(output, productsSvg(run))
  console.log(`wrote ${output}: ${run.points.length} points`)
}
