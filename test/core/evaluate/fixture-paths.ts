/** Paths and expected values of the ONNX fixtures written by test/fixtures/generate_models.py. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MODELS_DIR = fileURLToPath(new URL('../../fixtures/models/', import.meta.url));

export function fixture(name: string): string {
  return MODELS_DIR + name;
}

export interface ExpectedEvaluation {
  model: string;
  data: string;
  target: string;
  task: 'binary' | 'multiclass' | 'regression';
  rows: number;
  classes?: string[];
  metrics: Record<string, number>;
  per_class?: Array<{ label: string; precision: number; recall: number; f1: number; support: number }>;
  confusion_matrix?: { labels: string[]; matrix: number[][] };
  /** sklearn's predict (labels as text, or regression values). */
  sklearn_predicted: Array<string | number>;
  /** sklearn's predict_proba in float64. */
  sklearn_proba?: number[][];
}

export function expected(name: string): ExpectedEvaluation {
  return JSON.parse(readFileSync(fixture(`${name}.expected.json`), 'utf8')) as ExpectedEvaluation;
}
