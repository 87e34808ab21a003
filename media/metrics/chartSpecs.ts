/**
 * Which charts the dashboard draws, each from columns of one table
 * (src/shared/metricsTables.ts), so every chart has its table behind it.
 * Tables without a chart (the durations) are shown as tables only.
 */
import type { MetricsTableId } from '../../src/shared/metricsTables';

export type ChartKind = 'lines' | 'bars';

export interface ChartSeriesSpec {
  /** Column of the table (0 is the row's name). */
  column: number;
  /** Drawn against the right-hand axis (a second unit: dollars beside tokens). */
  right?: boolean;
}

export interface ChartSpec {
  table: MetricsTableId;
  kind: ChartKind;
  series: ChartSeriesSpec[];
}

/** The dashboard's sections, in order, and their tables; a table with a spec here also gets a chart. */
export const SECTIONS: ReadonlyArray<{ id: string; title: string; tables: readonly MetricsTableId[] }> = [
  { id: 'velocity', title: 'Velocity', tables: ['completionsByDay', 'completionsByLanguage', 'proposalsByDay', 'durations'] },
  { id: 'quality', title: 'Quality', tables: ['quality', 'checkFindings'] },
  { id: 'cost', title: 'Cost and speed', tables: ['costByDay', 'costByModel', 'ttft'] },
];

export const CHARTS: Readonly<Partial<Record<MetricsTableId, ChartSpec>>> = {
  completionsByDay: { table: 'completionsByDay', kind: 'lines', series: [{ column: 1 }, { column: 2 }, { column: 3 }] },
  completionsByLanguage: { table: 'completionsByLanguage', kind: 'bars', series: [{ column: 1 }, { column: 2 }] },
  proposalsByDay: { table: 'proposalsByDay', kind: 'lines', series: [{ column: 1 }, { column: 2 }, { column: 3 }, { column: 5 }] },
  quality: { table: 'quality', kind: 'bars', series: [{ column: 1 }] },
  checkFindings: { table: 'checkFindings', kind: 'bars', series: [{ column: 1 }] },
  costByDay: { table: 'costByDay', kind: 'bars', series: [{ column: 4 }, { column: 5, right: true }] },
  costByModel: { table: 'costByModel', kind: 'bars', series: [{ column: 4 }, { column: 5, right: true }] },
  ttft: { table: 'ttft', kind: 'bars', series: [{ column: 2 }, { column: 3 }] },
};
