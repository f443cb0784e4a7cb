/**
 * Reading pictures back as a viewer would: decode the PNG bytes (pngjs), read pixels, turn a colour back
 * into its place on a colour map, and find where a value lands by the convention of viz.areas (written
 * out again here, so a renderer that breaks it is caught).
 */
import { PNG } from 'pngjs'
import { levels } from '../../src/viz/colour.js'
import { type Area, type ColourMap, colourAt, type Image, type Panel, png, render } from '../../src/viz/index.js'

/** A panel rendered, encoded and decoded again: what a file holds. */
export const picture = (panel: Panel, size: { width: number; height: number }): Image => {
  const decoded = PNG.sync.read(Buffer.from(png(render(panel, size))))
  return { width: decoded.width, height: decoded.height, data: new Uint8Array(decoded.data) }
}

export const rgbAt = (image: Image, x: number, y: number): [number, number, number] => {
  const k = (y * image.width + x) * 4
  return [image.data[k], image.data[k + 1], image.data[k + 2]]
}

export const same = (a: readonly number[], b: readonly number[]): boolean => a[0] === b[0] && a[1] === b[1] && a[2] === b[2]

/** The column of x in an area: column c holds [x₀ + c·dx, x₀ + (c + 1)·dx). */
export const columnOf = (a: Area, x: number): number => a.rect.x + Math.min(a.rect.width - 1, Math.floor(((x - a.x[0]) / (a.x[1] - a.x[0])) * a.rect.width))

/** The row of y in an area: rows count down from y₁ at the top. */
export const rowOf = (a: Area, y: number): number => a.rect.y + Math.min(a.rect.height - 1, Math.floor(((a.y[1] - y) / (a.y[1] - a.y[0])) * a.rect.height))

/** The data point at the centre of a pixel of an area. */
export const centreOf = (a: Area, column: number, row: number): [number, number] => [
  a.x[0] + ((column - a.rect.x + 0.5) / a.rect.width) * (a.x[1] - a.x[0]),
  a.y[1] - ((row - a.rect.y + 0.5) / a.rect.height) * (a.y[1] - a.y[0]),
]

// A multiple of the renderer's levels − 1, so each colour it paints is found exactly.
const steps = (levels - 1) * 4
const tables = new Map<ColourMap, [number, number, number][]>()
const found = new Map<string, { t: number; distance: number }>()

/** The place t ∈ [0, 1] on a colour map of the map's colour nearest to rgb (and that distance). */
export const mapValue = (map: ColourMap, rgb: readonly number[]): { t: number; distance: number } => {
  const key = `${map} ${rgb.join(' ')}`
  if (!tables.has(map)) {
    const table = Array.from({ length: steps + 1 }, (_v, k) => [...colourAt(map, k / steps)] as [number, number, number])
    tables.set(map, table)
    // Each colour of the map at its first place along it.
    table.forEach((c, k) => {
      const exact = `${map} ${c.join(' ')}`
      if (!found.has(exact)) found.set(exact, { t: k / steps, distance: 0 })
    })
  }
  if (found.has(key)) return found.get(key)!
  let best = { t: NaN, distance: Infinity }
  tables.get(map)!.forEach((c, k) => {
    const d = Math.hypot(c[0] - rgb[0], c[1] - rgb[1], c[2] - rgb[2])
    if (d < best.distance) best = { t: k / steps, distance: d }
  })
  found.set(key, best)
  return best
}
