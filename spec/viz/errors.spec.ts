import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as grid from '../../src/energy/grid.js'
import * as viz from '../../src/viz/index.js'
import { errorTable, rangeError, typeError } from '../errors.js'

const well = energy.doubleWell({ dim: 2 })
const box = { bounds: [[-2, 2], [-2, 2]] as [number, number][] }
const histogram = grid.histogram([[0.5, 0.5]], { bounds: [[0, 1], [0, 1]], n: 3 })
const withNaN = { ...histogram, density: histogram.density.map((v, k) => (k === 5 ? NaN : v)) }
const small = viz.density(well, { ...box, n: 20, title: 'p' })
const mixed = [[0.1, -0.4, 0.3, 0.9, -1.2, 0.5], [0.2, 0.7, -0.6, 0.0, 1.1, -0.3]]
const image = viz.render(viz.trace([[1, 2]]), { width: 100, height: 100 })

t.test('every viz function names its bad argument with the right class and the message shape', async (t) => {
  await errorTable(t, viz, {
    density: [
      rangeError(() => viz.density(well, { bounds: [[2, -2], [-2, 2]] }), 'viz.density: bounds[0]: expected [lo, hi] with lo < hi, got "[2, -2]"'),
      rangeError(() => viz.density(well, { bounds: [[-2, 2], [-2, NaN]] }), 'viz.density: bounds[1][1]: expected a finite number, got NaN'),
      typeError(() => viz.density(well, { bounds: [[-2, 2]] as never }), 'viz.density: bounds: expected bounds [[x0, x1], [y0, y1]] of a 2-D box, got an array of length 1'),
      rangeError(() => viz.density(well, { ...box, temperature: 0 }), 'viz.density: temperature: expected a positive number, got 0'),
      rangeError(() => viz.density(well, { ...box, colourMap: 'jet' as 'viridis' }), 'viz.density: colourMap: expected one of "viridis", "magma", "greys", got "jet"'),
      rangeError(() => viz.density(well, { ...box, range: [1, 1] }), 'viz.density: range: expected [lo, hi] with lo < hi, got "[1, 1]"'),
      rangeError(() => viz.density(well, { ...box, n: 0 }), 'viz.density: n: expected an integer ≥ 1, got 0'),
      rangeError(() => viz.density(well, { ...box, aspect: 'square' as 'equal' }), 'viz.density: aspect: expected one of "equal", "fill", got "square"'),
      typeError(() => viz.density(well, undefined as never), 'viz.density: options: expected an object, got undefined'),
    ],
    landscape: [
      typeError(() => viz.landscape('well' as never, box), 'viz.landscape: energy: expected an Energy value of two dimensions, got "well"'),
      rangeError(() => viz.landscape(energy.doubleWell({ dim: 3 }), box), "grid.tabulate: energy: expected an energy of shape [2] (bounds of 2 axes), got 'doubleWell' of shape [3]"),
      rangeError(() => viz.landscape(well, { ...box, pointRadius: -1 }), 'viz.landscape: pointRadius: expected an integer ≥ 0, got -1'),
    ],
    heatmap: [
      rangeError(() => viz.heatmap(withNaN), 'viz.heatmap: grid.density[5]: expected a number (not NaN), got NaN'),
      rangeError(() => viz.heatmap(histogram, { values: 'energy' }), `viz.heatmap: values: expected 'density' or 'logDensity' for a histogram (only grids of grid.tabulate have energies), got "energy"`),
      rangeError(() => viz.heatmap(grid.histogram([0.5], { bounds: [[0, 1]], n: 2 })), 'viz.heatmap: grid.bounds: expected the bounds of two axes (a 2-D grid), got an array of length 1'),
      typeError(() => viz.heatmap({} as never), 'viz.heatmap: grid: expected a grid (from grid.tabulate or grid.histogram), got an object with keys (none)'),
      rangeError(() => viz.heatmap(histogram, { values: 'p' as 'density' }), 'viz.heatmap: values: expected one of "density", "logDensity", "energy", got "p"'),
    ],
    scatter: [
      rangeError(() => viz.scatter([[0, 1], [NaN, 2]]), 'viz.scatter: points[1][0]: expected a finite number, got NaN'),
      rangeError(() => viz.scatter([[0, 1], [2]]), 'viz.scatter: points[1]: has 1 value; a point [x, y] need 2'),
      rangeError(() => viz.scatter([1, 2, 3]), 'viz.scatter: points: expected x, y pairs (an even count of numbers), got an array of length 3'),
      rangeError(() => viz.scatter([]), 'viz.scatter: points: expected at least one point, got an array of length 0'),
      typeError(() => viz.scatter('points' as never), 'viz.scatter: points: expected an array or typed array of numbers, got "points"'),
      rangeError(() => viz.scatter([[0, 0]], { pointColour: [0, 300, 0] as never }), 'viz.scatter: pointColour[1]: expected an integer in [0, 255], got 300'),
      typeError(() => viz.scatter([[0, 0]], { pointColour: 'red' as never }), 'viz.scatter: pointColour: expected a colour [red, green, blue] of integers in [0, 255], got "red"'),
      rangeError(() => viz.scatter([[0, 0]], { size: 3 } as never), "viz.scatter: options: unknown option 'size' (options: title, xLabel, yLabel, colourMap, range, points, pointColour, pointRadius, aspect, bounds)"),
      typeError(() => viz.scatter([[0, 0]], { title: 3 } as never), 'viz.scatter: title: expected a string, got 3'),
    ],
    trace: [
      rangeError(() => viz.trace([[1, NaN, 2]]), 'viz.trace: draws[0][1]: expected a finite number, got NaN'),
      rangeError(() => viz.trace([]), 'viz.trace: draws: expected a non-empty array of chains, each an array of draws, got an array of length 0'),
      rangeError(() => viz.trace([[]]), 'viz.trace: draws[0]: expected at least one draw, got an array of length 0'),
      typeError(() => viz.trace('x' as never), 'viz.trace: draws: expected a non-empty array of chains, each an array of draws, got "x"'),
    ],
    lines: [
      rangeError(() => viz.lines([{ y: [1, 2], x: [0] }]), 'viz.lines: series[0].x: has 1 value; its 2 y values need 2'),
      rangeError(() => viz.lines([{ y: [1] }], { rules: [{ y: Infinity }] }), 'viz.lines: rules[0].y: expected a finite number, got Infinity'),
      typeError(() => viz.lines([{ y: [1] }], { rules: { y: 1 } as never }), 'viz.lines: rules: expected an array of { y, label }, got an object with keys y'),
      rangeError(() => viz.lines([{ y: [1] }], { lineWidth: 0 }), 'viz.lines: lineWidth: expected an integer ≥ 1, got 0'),
      rangeError(() => viz.lines([{ y: [] }]), 'viz.lines: series[0].y: expected at least one value, got an array of length 0'),
      typeError(() => viz.lines([{ y: [1] }], { legend: 'yes' as never }), 'viz.lines: legend: expected true or false, got "yes"'),
    ],
    curves: [
      rangeError(() => viz.curves([{ step: 0, loss: NaN }], { fields: ['loss'] }), 'viz.curves: records[0].loss: expected a finite number, got NaN'),
      typeError(() => viz.curves([{ step: 0, loss: '1' }], { fields: ['loss'] }), 'viz.curves: records[0].loss: expected a number or null, got "1"'),
      rangeError(() => viz.curves([{ step: 0, loss: 1 }], { fields: ['loss', 'kl'] }), 'viz.curves: fields[1]: expected a field with a number in at least one of the 1 records, got "kl"'),
      rangeError(() => viz.curves([], { fields: ['loss'] }), 'viz.curves: records: expected a non-empty array of records, got an array of length 0'),
      rangeError(() => viz.curves([{ loss: 1 }], { fields: [] }), 'viz.curves: fields: expected a non-empty array of field names, got an array of length 0'),
      typeError(() => viz.curves([{ step: null, loss: 1 }], { fields: ['loss'] }), 'viz.curves: records[0].step: expected a finite number, got null'),
      typeError(() => viz.curves([3 as never], { fields: ['loss'] }), 'viz.curves: records[0]: expected an object, got 3'),
    ],
    bars: [
      rangeError(() => viz.bars([1, NaN]), 'viz.bars: values[1]: expected a finite number or +Infinity, got NaN'),
      rangeError(() => viz.bars([1, -Infinity]), 'viz.bars: values[1]: expected a finite number or +Infinity, got -Infinity'),
      rangeError(() => viz.bars([]), 'viz.bars: values: expected at least one value, got an array of length 0'),
      rangeError(() => viz.bars([1, 2], { labels: ['a'] }), 'viz.bars: labels: expected 2 labels, one per bar, got an array of length 1'),
      typeError(() => viz.bars([1, 2], { labels: 'ab' as never }), 'viz.bars: labels: expected an array of 2 labels, got "ab"'),
      rangeError(() => viz.bars([1], { rule: { y: 1, bad: 'left' as 'above' } }), 'viz.bars: rule.bad: expected one of "above", "below", got "left"'),
      rangeError(() => viz.bars([1], { baseline: NaN }), 'viz.bars: baseline: expected a finite number, got NaN'),
    ],
    rhatChart: [
      rangeError(() => viz.rhatChart([]), 'viz.rhatChart: coordinates: expected a non-empty array of draws, one array of chains per coordinate, got an array of length 0'),
      rangeError(() => viz.rhatChart([[[1, 2, 3]]]), 'viz.rhatChart: coordinates[0][0]: expected at least 4 draws (two in each half of a split chain), got an array of length 3'),
      rangeError(() => viz.rhatChart([mixed, [[1, 2, 3, 4], [1, NaN, 3, 4]]]), /^viz.rhatChart: coordinates\[1\]\[1\]\[1\]: expected a finite number, got NaN/),
      rangeError(() => viz.rhatChart([mixed, [[1, 1, 1, 1], [1, 1, 1, 1]]]), 'viz.rhatChart: coordinates[1]: expected draws that are not all equal (their R-hat and ESS are undefined), got NaN'),
      rangeError(() => viz.rhatChart([mixed], { threshold: -1 }), 'viz.rhatChart: threshold: expected a positive number, got -1'),
    ],
    essChart: [
      typeError(() => viz.essChart([mixed, 'x' as never]), /^viz.essChart: coordinates\[1\]: expected a non-empty array of chains/),
      rangeError(() => viz.essChart([mixed], { kind: 'mean' as 'bulk' }), 'viz.essChart: kind: expected one of "bulk", "tail", got "mean"'),
    ],
    patterns: [
      rangeError(() => viz.patterns([[1, 0, 2, 1]]), 'viz.patterns: patterns[0][2]: expected a bit: 0 or 1, or a spin: −1 or +1, got 2'),
      rangeError(() => viz.patterns([[1, 0, NaN, 1]]), 'viz.patterns: patterns[0][2]: expected a finite number, got NaN'),
      rangeError(() => viz.patterns([[1, 0, 0, 1], [1, 0]]), 'viz.patterns: patterns[1]: expected 4 cells, as patterns[0], got an array of length 2'),
      rangeError(() => viz.patterns([[1, 0, 0]]), "viz.patterns: width: expected a pattern's width in cells (its length 3 is not a square), got undefined"),
      rangeError(() => viz.patterns([[1, 0, 0, 1, 1, 1]], { width: 4 }), "viz.patterns: width: expected a width that divides the patterns' length 6, got 4"),
      rangeError(() => viz.patterns([]), 'viz.patterns: patterns: expected a non-empty array of patterns, got an array of length 0'),
      rangeError(() => viz.patterns([[]]), 'viz.patterns: patterns[0]: expected at least one cell, got an array of length 0'),
      rangeError(() => viz.patterns([[1]], { columns: 0 }), 'viz.patterns: columns: expected an integer ≥ 1, got 0'),
    ],
    layout: [
      typeError(() => viz.layout([small, { kind: 'pie' } as never]), 'viz.layout: panels[1]: expected a panel (built by viz.density, viz.trace, viz.layout, …; kind heatmap, lines, bars, patterns, layout), got an object with keys kind'),
      rangeError(() => viz.layout([]), 'viz.layout: panels: expected a non-empty array of panels, got an array of length 0'),
      rangeError(() => viz.layout([small], { columns: 0 }), 'viz.layout: columns: expected an integer ≥ 1, got 0'),
    ],
    render: [
      rangeError(() => viz.render(small, { width: 0, height: 100 }), 'viz.render: size.width: expected an integer in [1, 8192], got 0'),
      rangeError(() => viz.render(small, { width: 100, height: 1.5 }), 'viz.render: size.height: expected an integer in [1, 8192], got 1.5'),
      rangeError(() => viz.render(small, { width: 100000, height: 100 }), 'viz.render: size.width: expected an integer in [1, 8192], got 100000'),
      rangeError(() => viz.render(small, { depth: 3 } as never), "viz.render: size: unknown option 'depth' (options: width, height)"),
      typeError(() => viz.render(null as never), /^viz.render: panel: expected a panel \(built by viz.density, viz.trace, viz.layout, …; kind heatmap, lines, bars, patterns, layout\), got null/),
      rangeError(() => viz.render(small, { width: 60, height: 40 }), 'viz.render: a heatmap panel of 60×40 pixels: expected room for a plot of at least 16×16 pixels inside its title, axes and labels (a larger image, or shorter labels), got "0×0"'),
      rangeError(() => viz.render(viz.patterns([Array(900).fill(1)]), { width: 40, height: 40 }), 'viz.render: a patterns panel of 40×40 pixels: expected room for 1×1 tiles of 30×30 cells of at least a pixel each, got "28×28 pixels for them"'),
    ],
    areas: [
      rangeError(() => viz.areas(viz.trace([[1, 2]]), { width: 30, height: 200 }), /^viz.render: a lines panel of 30×200 pixels: expected room for a plot/),
      typeError(() => viz.areas([] as never), /^viz.areas: panel: expected a panel/),
    ],
    pixel: [
      rangeError(() => viz.pixel(image, 100, 0), 'viz.pixel: x: expected an integer in [0, 99], got 100'),
      typeError(() => viz.pixel({} as never, 0, 0), 'viz.pixel: image: expected an image (from viz.render), got an object with keys (none)'),
    ],
    png: [
      rangeError(() => viz.png({ width: 2, height: 2, data: new Uint8Array(15) }), 'viz.png: image.data: expected 2·2·4 = 16 bytes, got a Uint8Array of length 15'),
      rangeError(() => viz.png({ width: 0, height: 2, data: new Uint8Array(0) }), 'viz.png: image.width: expected an integer in [1, 8192], got 0'),
      typeError(() => viz.png('picture' as never), 'viz.png: image: expected an image { width, height, data } (from viz.render), got "picture"'),
    ],
    colourAt: [
      rangeError(() => viz.colourAt('jet' as 'viridis', 0.5), 'viz.colourAt: map: expected one of "viridis", "magma", "greys", got "jet"'),
      rangeError(() => viz.colourAt('magma', NaN), 'viz.colourAt: t: expected a finite number, got NaN'),
    ],
  })
})
