/**
 * The class list that numbers probability columns, and the target column encoded against it.
 *
 * Classes come from the model file (skl2onnx/onnxmltools classifiers carry `classlabels_*` in
 * probability-column order, which is scikit-learn's sorted `classes_`). A model without them (a
 * PyTorch or Keras export) is read as classes "0".."C-1": column j is class j. Guessing the order
 * from which label the model predicts per argmax column was rejected: it cannot name classes the
 * model never predicts on this data, and ties make it ambiguous.
 */
import { UserError } from '../../errors.ts';
import type { SpellOption } from '../../option-names.ts';
import type { ColumnBatch, TableSchema } from '../../data/index.ts';

export interface ClassList {
  classes: string[];
  /** Where the list came from, for the log and for error messages. */
  source: 'model' | 'column-index';
}

export function resolveClasses(
  modelLabels: string[] | undefined,
  width: number | undefined,
  modelPath: string,
): ClassList | undefined {
  if (modelLabels) {
    if (width !== undefined && width !== modelLabels.length) {
      throw new UserError(
        `${modelPath} lists ${modelLabels.length} classes but its probability output has ${width} columns; re-export the model.`,
      );
    }
    return { classes: modelLabels, source: 'model' };
  }
  if (width === undefined) return undefined;
  return { classes: Array.from({ length: width }, (_, i) => String(i)), source: 'column-index' };
}

export interface TargetEncoder {
  /** How to ask core/data for the target column. */
  kind: 'numeric' | 'text';
  encode(batch: ColumnBatch): Int32Array | Float64Array;
}

/**
 * Read classification targets as numbers when the file and every class are numeric, so that a
 * file's `1.0` matches the model's class `1`; otherwise compare the text exactly.
 */
export function targetKind(schema: TableSchema, target: string, classes: string[] | undefined): 'numeric' | 'text' {
  if (schema.kinds[target] !== 'number') return 'text';
  return (classes ?? []).every((label) => label.trim() !== '' && Number.isFinite(Number(label))) ? 'numeric' : 'text';
}

export function regressionTarget(target: string, dataPath: string): TargetEncoder {
  return {
    kind: 'numeric',
    encode(batch) {
      const values = batch.numeric.get(target)!;
      const empty = values.findIndex((value) => Number.isNaN(value));
      if (empty >= 0)
        throw new UserError(
          `${dataPath} row ${batch.firstRow + empty}, column "${target}": the target is empty; every row needs a target value.`,
        );
      return values;
    },
  };
}

export function classificationTarget(
  kind: 'numeric' | 'text',
  target: string,
  list: ClassList,
  dataPath: string,
): TargetEncoder {
  const byText = new Map(list.classes.map((label, i) => [label, i]));
  const byNumber = new Map(list.classes.map((label, i) => [Number(label), i]));
  const unknown = (row: number, value: string) => {
    const hint = (option: SpellOption) =>
      list.source === 'column-index'
        ? ' The model carries no class labels, so its probability columns are read as classes 0..C-1: encode the target that way, or export the model with its class labels (skl2onnx does).'
        : ` Check ${option('target')}, or evaluate on data with the classes the model was trained on.`;
    return new UserError(
      (option) =>
        `${dataPath} row ${row}, column "${target}": ${value} is not one of the model's classes (${list.classes.join(', ')}).${hint(option)}`,
    );
  };
  return {
    kind,
    encode(batch) {
      const encoded = new Int32Array(batch.length);
      if (kind === 'numeric') {
        const values = batch.numeric.get(target)!;
        for (let i = 0; i < values.length; i++) {
          const index = byNumber.get(values[i]);
          if (index === undefined)
            throw unknown(batch.firstRow + i, Number.isNaN(values[i]) ? 'an empty target' : String(values[i]));
          encoded[i] = index;
        }
      } else {
        const values = batch.text.get(target)!;
        for (let i = 0; i < values.length; i++) {
          const index = byText.get(values[i]);
          if (index === undefined)
            throw unknown(batch.firstRow + i, values[i] === '' ? 'an empty target' : `"${values[i]}"`);
          encoded[i] = index;
        }
      }
      return encoded;
    },
  };
}
