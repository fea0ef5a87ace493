// Per-column drift tests with Evidently's defaults, matching scipy/numpy value for value (issue 15).
export { chiSquare, zTest, type Value } from './internal/categorical.ts';
export { binShares, jensenShannon, psi, wassersteinDistance, wassersteinNormed } from './internal/distances.ts';
export { ksTwoSample } from './internal/ks.ts';
export { kolmogorovSurvival } from './internal/kolmogorov.ts';
export { chiSquareSurvival, normalSurvival } from './internal/special.ts';
export {
  chooseTest,
  isDrift,
  scoreColumn,
  TEST_THRESHOLDS,
  type ColumnKind,
  type DriftTest,
} from './internal/tests.ts';
export {
  columnDrift,
  datasetDrift,
  type Cell,
  type ColumnDrift,
  type ColumnOptions,
  type SkippedColumn,
} from './internal/column.ts';
export {
  DRIFT_REPORT_SCHEMA,
  driftBinsSchema,
  driftReportSchema,
  parseDriftReport,
  type DriftBins,
  type DriftReport,
} from './drift-report.schema.ts';
export { MAX_BINNED_COLUMNS, MAX_BINS, MAX_LABEL_CHARS, MAX_LABELS } from './internal/bins.ts';
export { compareTables, isDriftTest, type CompareTablesOptions } from './internal/compare-tables.ts';
export { parseColumnPairs, parseColumnTests, parseColumnThresholds, parseDriftShare } from './options.ts';
