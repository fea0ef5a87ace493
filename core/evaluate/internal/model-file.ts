/**
 * Reads what onnxruntime's session does not expose from the .onnx file itself: the class labels of
 * the classifier (the column order of its probability output) and which operator produces each
 * graph output. Only a small subset of onnx.proto is declared; protobufjs skips every other field
 * (weights included) without decoding it.
 */
import protobuf from 'protobufjs/light.js';
import { UserError } from '../../errors.ts';

// Field numbers from onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto).
const onnxSubset = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        StringStringEntryProto: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            strings: { rule: 'repeated', type: 'bytes', id: 9 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            opType: { type: 'string', id: 4 },
            domain: { type: 'string', id: 7 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
          },
        },
        GraphProto: { fields: { node: { rule: 'repeated', type: 'NodeProto', id: 1 } } },
        ModelProto: {
          fields: {
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
          },
        },
      },
    },
  },
});
const ModelProto = onnxSubset.lookupType('onnx.ModelProto');

interface DecodedAttribute {
  name: string;
  ints: Array<{ toString(): string }>;
  strings: Uint8Array[];
}
interface DecodedNode {
  input: string[];
  output: string[];
  opType: string;
  domain: string;
  attribute: DecodedAttribute[];
}
interface DecodedModel {
  producerName: string;
  producerVersion: string;
  graph?: { node: DecodedNode[] };
  metadataProps: Array<{ key: string; value: string }>;
}

/** Attributes that hold a classifier's labels, in the order of its probability columns. */
const CLASS_LABEL_ATTRIBUTES = ['classlabels_strings', 'classlabels_ints', 'classlabels_int64s'];

export interface ModelGraphSummary {
  producer: string;
  /** Class labels as text, in probability-column order, when the model carries them (skl2onnx, onnxmltools). */
  classLabels?: string[];
  /** Operator type of the node that writes each graph output, e.g. `Sigmoid`, `ZipMap`. */
  outputProducers: Map<string, string>;
  metadata: Record<string, string>;
}

export function summarizeModelGraph(bytes: Uint8Array, modelPath: string): ModelGraphSummary {
  let model: DecodedModel;
  try {
    model = ModelProto.toObject(ModelProto.decode(bytes), { arrays: true, defaults: true }) as unknown as DecodedModel;
  } catch (error) {
    throw new UserError(
      `${modelPath} is not an ONNX model (${(error as Error).message}); pass the .onnx file your export wrote.`,
      { cause: error },
    );
  }
  const nodes = model.graph?.node ?? [];
  const outputProducers = new Map<string, string>();
  for (const node of nodes) for (const output of node.output) outputProducers.set(output, node.opType);

  return {
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    classLabels: findClassLabels(nodes),
    outputProducers,
    metadata: Object.fromEntries(model.metadataProps.map((entry) => [entry.key, entry.value])),
  };
}

/**
 * The classifier whose labels count is the last node (graph order is topological) that carries
 * class labels: in a stacked ensemble the final estimator decides the output columns. ZipMap
 * carries the same labels as its classifier, so it agrees either way.
 */
function findClassLabels(nodes: DecodedNode[]): string[] | undefined {
  for (let n = nodes.length - 1; n >= 0; n--) {
    for (const name of CLASS_LABEL_ATTRIBUTES) {
      const attribute = nodes[n].attribute.find((a) => a.name === name);
      if (!attribute) continue;
      const labels =
        name === 'classlabels_strings'
          ? attribute.strings.map((bytes) => Buffer.from(bytes).toString('utf8'))
          : attribute.ints.map((value) => value.toString());
      if (labels.length > 0) return labels;
    }
  }
  return undefined;
}
