/**
 * The dashboard's charts, drawn with uPlot (a small canvas chart library:
 * about 50 KB minified, no dependencies). Colours, fonts and lines come from
 * the VS Code theme's CSS variables, read when a chart is drawn, so a theme
 * change (the view redraws) gives light, dark and high-contrast charts alike.
 * uPlot styles its elements through the CSSOM (element.style), which the
 * webview's CSP allows; no inline style attribute or <style> element is made.
 * Its own legend and cursor readout are off: the legend is ours (text), and
 * the exact figures are in the table behind every chart.
 */
import uPlot from 'uplot';
import { cellText } from '../../src/shared/metricsTables';
import type { ChartData, ChartHandle, ChartRenderer } from './view';

/** The theme's chart colours, in series order (the legend's swatches use the same variables: metrics.css). */
const SERIES_COLOURS = ['--vscode-charts-blue', '--vscode-charts-green', '--vscode-charts-orange', '--vscode-charts-purple', '--vscode-charts-red'];
const FALLBACK_COLOURS = ['#3794ff', '#388a34', '#d18616', '#652d90', '#e51400'];

const HEIGHT = 220;

/** Axis steps for counts: whole numbers only. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8, 1e9, 1e10];

/** Most characters of a category under the axis (the table has the whole name). */
const MAX_LABEL = 18;

function shortLabel(label: string): string {
  // A day reads as MM-DD under the axis; the table gives the year.
  if (/^\d{4}-\d{2}-\d{2}$/.test(label)) return label.slice(5);
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}

function themeValue(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

/** The category labels to print under the axis: all when they fit, else every n-th. */
function categorySplits(count: number, width: number, longest: number): number[] {
  const room = Math.max(1, Math.floor(width / Math.max(40, longest * 7 + 12)));
  const step = Math.max(1, Math.ceil(count / room));
  const splits: number[] = [];
  for (let i = 0; i < count; i += step) splits.push(i);
  return splits;
}

export const renderChart: ChartRenderer = (container: HTMLElement, data: ChartData, width: number): ChartHandle => {
  const style = getComputedStyle(container.ownerDocument.body);
  const foreground = themeValue(style, '--vscode-foreground', '#616161');
  const lines = themeValue(style, '--vscode-charts-lines', 'rgba(128,128,128,0.35)');
  const font = `${themeValue(style, '--vscode-font-size', '12px')} ${themeValue(style, '--vscode-font-family', 'sans-serif')}`;
  const colours = SERIES_COLOURS.map((name, index) => themeValue(style, name, FALLBACK_COLOURS[index] ?? foreground));
  const count = data.labels.length;
  const labels = data.labels.map(shortLabel);
  const longest = labels.reduce((max, label) => Math.max(max, label.length), 0);
  const hasRight = data.series.some((series) => series.right);
  const bars = data.kind === 'bars';
  // Side by side bars: the left series' bars lean left of the category, the right ones right.
  const barAlign = (index: number): -1 | 0 | 1 => (data.series.length === 1 ? 0 : index === 0 ? -1 : 1);
  const format = (index: number) => (value: number): string => cellText(value, data.series[index]?.format ?? 'count');
  const axisFormat = (right: boolean): ((self: uPlot, splits: number[]) => string[]) => {
    const index = Math.max(0, data.series.findIndex((series) => series.right === right));
    return (_self, splits) => splits.map((value) => (Number.isInteger(value) || data.series[index]?.format !== 'count' ? format(index)(value) : ''));
  };
  const countSteps = (right: boolean): { incrs?: number[] } => (data.series.find((series) => series.right === right)?.format === 'count' ? { incrs: COUNT_STEPS } : {});
  const options: uPlot.Options = {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    padding: [8, 20, 0, 8],
    scales: {
      x: { time: false, range: [-0.5, Math.max(0.5, count - 0.5)] },
      y: { range: (_self, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      ...(hasRight ? { right: { range: (_self: uPlot, _min: number, max: number): uPlot.Range.MinMax => [0, max > 0 ? max * 1.1 : 1] } } : {}),
    },
    axes: [
      {
        stroke: foreground,
        font,
        grid: { show: false },
        ticks: { stroke: lines },
        splits: () => categorySplits(count, width, longest),
        values: (_self, splits) => splits.map((index) => labels[index] ?? ''),
      },
      { stroke: foreground, font, grid: { stroke: lines, width: 1 }, ticks: { stroke: lines }, values: axisFormat(false), size: 64, ...countSteps(false) },
      ...(hasRight ? [{ scale: 'right', side: 1 as const, stroke: foreground, font, grid: { show: false }, ticks: { stroke: lines }, values: axisFormat(true), size: 72, ...countSteps(true) }] : []),
    ],
    series: [
      {},
      ...data.series.map((series, index): uPlot.Series => {
        const colour = colours[index % colours.length] ?? foreground;
        return {
          label: series.label,
          scale: series.right ? 'right' : 'y',
          stroke: colour,
          width: bars ? 1 : 2,
          ...(bars
            ? { fill: colour, paths: uPlot.paths.bars?.({ size: [data.series.length === 1 ? 0.6 : 0.35, 48], align: barAlign(index) }), points: { show: false } }
            : { points: { show: count < 40, size: 5, fill: colour, stroke: colour } }),
        };
      }),
    ],
  };
  const x = data.labels.map((_label, index) => index);
  const plot = new uPlot(options, [x, ...data.series.map((series) => series.values)] as uPlot.AlignedData, container);
  return {
    resize: (next) => plot.setSize({ width: next, height: HEIGHT }),
    destroy: () => plot.destroy(),
  };
};
