/**
 * 2-D maps: an energy landscape E(x), a Boltzmann density p(x) ∝ exp(−E(x)/T), any grid of values, or
 * points alone, with samples drawn over them.
 *
 * @module
 */
import { integer, object, oneOf, options as checkOptions, positive, positiveInteger, rangeError, typeError } from '../check/index.js'
import { type Energy, isEnergy, type Params } from '../energy/energy.js'
import { temper } from '../energy/combinators.js'
import { tabulate, type Grid } from '../energy/grid.js'
import { aspect, box, extent, interval, points as checkPoints, rgb, text } from './checks.js'
import { type ColourMap, colourMaps, palette, white } from './colour.js'
import type { Rgb } from './image.js'
import type { HeatmapPanel } from './panel.js'
import { type Domain, niceDomain, widen } from './scale.js'

/** How any map is shown. */
export interface MapOptions {
  readonly title?: string
  /** Default 'x₀'. */
  readonly xLabel?: string
  /** Default 'x₁'. */
  readonly yLabel?: string
  /** 'viridis' (default), 'magma' or 'greys'. */
  readonly colourMap?: ColourMap
  /** The values at the two ends of the colour map; default their smallest and largest (so maps can share a scale). */
  readonly range?: readonly [number, number]
  /** Points to draw over the map: rows [x, y] or a flat array of pairs. Those outside the box are left out. */
  readonly points?: ArrayLike<number> | readonly (readonly number[])[]
  /** Default white. */
  readonly pointColour?: Rgb
  /** Default 1 (a plus of 5 pixels); 0 is one pixel. */
  readonly pointRadius?: number
  /** 'equal' (default): a unit of x and of y are as long on screen; 'fill': the map fills the panel. */
  readonly aspect?: 'equal' | 'fill'
}

const mapOptionNames = ['title', 'xLabel', 'yLabel', 'colourMap', 'range', 'points', 'pointColour', 'pointRadius', 'aspect'] as const

type MapFields = Omit<HeatmapPanel, 'kind' | 'bounds' | 'cells' | 'values' | 'range' | 'valueLabel'> & { readonly range: Domain | undefined }

const mapFields = (o: Readonly<Record<string, unknown>>, where: string): MapFields => ({
  title: text(o.title, `${where}: title`),
  xLabel: o.xLabel === undefined ? 'x₀' : text(o.xLabel, `${where}: xLabel`),
  yLabel: o.yLabel === undefined ? 'x₁' : text(o.yLabel, `${where}: yLabel`),
  colourMap: oneOf(o.colourMap ?? 'viridis', `${where}: colourMap`, colourMaps),
  range: o.range === undefined ? undefined : interval(o.range, `${where}: range`),
  points: o.points === undefined ? new Float64Array(0) : checkPoints(o.points, `${where}: points`),
  pointColour: o.pointColour === undefined ? white : rgb(o.pointColour, `${where}: pointColour`),
  pointRadius: integer(o.pointRadius ?? 1, `${where}: pointRadius`, { min: 0 }),
  equalAspect: aspect(o.aspect, `${where}: aspect`),
})

/** What a heat map of a grid shows. */
export interface HeatmapOptions extends MapOptions {
  /** 'density' (default), 'logDensity' or 'energy' (grids of grid.tabulate only). */
  readonly values?: 'density' | 'logDensity' | 'energy'
  /** The colour bar's name for the values; default the `values` option's name, '' for no colour bar. */
  readonly valueLabel?: string
}

const checkGrid = (g: unknown, where: string): Grid => {
  if (typeof g !== 'object' || g === null || !((g as Grid).density instanceof Float64Array)) throw typeError(where, 'a grid (from grid.tabulate or grid.histogram)', g)
  const grid = g as Grid
  if (grid.bounds.length !== 2) throw rangeError(`${where}.bounds`, 'the bounds of two axes (a 2-D grid)', grid.bounds)
  return grid
}

const gridValues = (g: Grid, which: 'density' | 'logDensity' | 'energy', where: string): Float64Array => {
  if (which !== 'energy') return g[which]
  if (g.energies === undefined) throw rangeError(`${where}: values`, "'density' or 'logDensity' for a histogram (only grids of grid.tabulate have energies)", which)
  return g.energies
}

/** A map panel of a grid's values, its fields checked. */
const mapPanel = (g: Grid, values: Float64Array, valueLabel: string, fields: MapFields, where: string, valuesName: string): HeatmapPanel => ({
  kind: 'heatmap',
  ...fields,
  bounds: box(g.bounds, `${where}: grid.bounds`),
  cells: [g.n, g.n],
  values,
  range: fields.range ?? widen(extent(values, `${where}: ${valuesName}`)),
  valueLabel,
})

/**
 * A heat map of a 2-D grid (grid.tabulate or grid.histogram): its density, log density or energies,
 * each pixel coloured by the cell under it.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { energy, grid, viz } from 'heatbath'
 * const g = grid.tabulate(energy.gaussian({ mean: [0.5, -0.5] }), { bounds: [[-3, 3], [-3, 3]], n: 60 })
 * const panel = viz.heatmap(g, { title: 'N((0.5, −0.5), I)' })
 * assert.equal(panel.kind, 'heatmap')
 * assert.deepEqual(panel.cells, [60, 60])
 */
export const heatmap = (g: Grid, options?: HeatmapOptions): HeatmapPanel => {
  const where = 'viz.heatmap'
  const grid = checkGrid(g, `${where}: grid`)
  const o = checkOptions(options, `${where}: options`, [...mapOptionNames, 'values', 'valueLabel'])
  const which = oneOf(o.values ?? 'density', `${where}: values`, ['density', 'logDensity', 'energy'] as const)
  const values = gridValues(grid, which, where)
  const names = { density: 'density', logDensity: 'log density', energy: 'energy' }
  const valueLabel = o.valueLabel === undefined ? names[which] : text(o.valueLabel, `${where}: valueLabel`)
  return mapPanel(grid, values, valueLabel, mapFields(o, where), where, `grid.${which}`)
}

/** Where and how finely to evaluate an energy for a map. */
export interface EnergyMapOptions extends MapOptions {
  /** The box [[x₀, x₁], [y₀, y₁]]. */
  readonly bounds: readonly (readonly [number, number])[]
  /** Cells per axis (default 200). */
  readonly n?: number
  /** Parameter values (default the energy's initial ones). */
  readonly params?: Params
}

const energyMapNames = [...mapOptionNames, 'bounds', 'n', 'params'] as const

const tabulateMap = (e: Energy, o: Readonly<Record<string, unknown>>, where: string): Grid => {
  if (!isEnergy(e)) throw typeError(`${where}: energy`, 'an Energy value of two dimensions', e)
  const bounds = box(o.bounds, `${where}: bounds`)
  const n = positiveInteger(o.n ?? 200, `${where}: n`)
  return tabulate(e, { bounds, n, ...(o.params === undefined ? {} : { params: o.params as Params }) })
}

/**
 * The Boltzmann density p(x) = exp(−E(x)/T)/Z of a 2-D energy at temperature T (default 1), normalised
 * on the grid: bright where the energy is low.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { energy, viz } from 'heatbath'
 * const panel = viz.density(energy.doubleWell({ dim: 2 }), { bounds: [[-2, 2], [-2, 2]], n: 40, temperature: 0.5 })
 * assert.equal(panel.valueLabel, 'p(x), T = 0.5')
 */
export const density = (e: Energy, options: EnergyMapOptions & { readonly temperature?: number }): HeatmapPanel => {
  const where = 'viz.density'
  const o = checkOptions(object(options, `${where}: options`), `${where}: options`, [...energyMapNames, 'temperature'])
  const T = positive(o.temperature ?? 1, `${where}: temperature`)
  const fields = mapFields(o, where)
  const g = tabulateMap(isEnergy(e) ? temper(T)(e) : e, o, where)
  return mapPanel(g, g.density, T === 1 ? 'p(x)' : `p(x), T = ${T}`, fields, where, 'density')
}

/**
 * The energy landscape E(x) of a 2-D energy: dark in the wells, bright on the walls.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { energy, viz } from 'heatbath'
 * const panel = viz.landscape(energy.doubleWell({ dim: 2 }), { bounds: [[-2, 2], [-2, 2]], n: 40 })
 * assert.ok(panel.range[0] < 0) // the wells' floor, E = −1
 */
export const landscape = (e: Energy, options: EnergyMapOptions): HeatmapPanel => {
  const where = 'viz.landscape'
  const o = checkOptions(object(options, `${where}: options`), `${where}: options`, energyMapNames)
  const fields = mapFields(o, where)
  const g = tabulateMap(e, o, where)
  return mapPanel(g, g.energies!, 'E(x)', fields, where, 'energy')
}

/**
 * Points alone, on white: data, or samples without their density. The box defaults to the points'
 * extent, widened to whole ticks.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { viz } from 'heatbath'
 * const panel = viz.scatter([[0, 0], [1, 2], [-1, 0.5]], { title: 'data' })
 * assert.deepEqual(panel.bounds, [[-1, 1], [0, 2]])
 */
export const scatter = (pts: ArrayLike<number> | readonly (readonly number[])[], options?: MapOptions & { readonly bounds?: readonly (readonly [number, number])[] }): HeatmapPanel => {
  const where = 'viz.scatter'
  const o = checkOptions(options, `${where}: options`, [...mapOptionNames, 'bounds'])
  const flat = checkPoints(pts, `${where}: points`)
  if (flat.length === 0) throw rangeError(`${where}: points`, 'at least one point', pts)
  const axis = (a: number): Domain => niceDomain(extent(flat.filter((_v, k) => k % 2 === a), `${where}: points`))
  const fields = mapFields({ pointColour: palette[0], ...o, points: flat }, where)
  return { kind: 'heatmap', ...fields, bounds: o.bounds === undefined ? [axis(0), axis(1)] : box(o.bounds, `${where}: bounds`), cells: [1, 1], values: null, range: [0, 1], valueLabel: '' }
}
