// A tiny ONNX writer: just the protobuf wire format and the ModelProto fields this example needs.
// ONNX files are protobuf messages (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto); writing
// them by hand keeps the example free of dependencies. Field numbers below are onnx.proto's.

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_BYTES = 2;

/** onnx.proto TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7 };
const AttributeType = { FLOAT: 1, INT: 2 };

/** Protobuf varint; negative int64 values are written as their 64-bit two's complement, as protobuf does. */
function varint(value) {
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v > 0n);
  return Buffer.from(bytes);
}

/** Accumulates the fields of one message; `encode()` is its wire form. Repeated fields: call again. */
class Message {
  #parts = [];
  int(field, value) {
    if (value !== undefined) this.#parts.push(varint((field << 3) | WIRE_VARINT), varint(value));
    return this;
  }
  float(field, value) {
    const buf = Buffer.alloc(4);
    buf.writeFloatLE(value);
    this.#parts.push(varint((field << 3) | WIRE_FIXED32), buf);
    return this;
  }
  bytes(field, value) {
    if (value === undefined) return this;
    const buf =
      value instanceof Message
        ? value.encode()
        : typeof value === 'string'
          ? Buffer.from(value, 'utf8')
          : Buffer.from(value);
    this.#parts.push(varint((field << 3) | WIRE_BYTES), varint(buf.length), buf);
    return this;
  }
  /** The wire encoding of the fields added so far. */
  encode() {
    return Buffer.concat(this.#parts);
  }
}

/** TensorProto with its values in raw_data (little-endian), as onnx.numpy_helper writes them. */
export function tensor(name, dataType, dims, values) {
  const m = new Message();
  for (const d of dims) m.int(1, d);
  m.int(2, dataType);
  m.bytes(8, name);
  let raw;
  if (dataType === DataType.FLOAT) {
    raw = Buffer.alloc(values.length * 4);
    values.forEach((v, i) => raw.writeFloatLE(v, i * 4));
  } else if (dataType === DataType.INT64) {
    raw = Buffer.alloc(values.length * 8);
    values.forEach((v, i) => raw.writeBigInt64LE(BigInt(v), i * 8));
  } else {
    throw new Error(`tensor ${name}: data type ${dataType} is not supported by this writer`);
  }
  return m.bytes(9, raw);
}

/** ValueInfoProto for a tensor; a string dim is symbolic (dim_param, e.g. "N"), a number is fixed. */
export function tensorValueInfo(name, elemType, shape, docString) {
  const dims = new Message();
  for (const d of shape) dims.bytes(1, typeof d === 'string' ? new Message().bytes(2, d) : new Message().int(1, d));
  const tensorType = new Message().int(1, elemType).bytes(2, dims);
  return new Message().bytes(1, name).bytes(2, new Message().bytes(1, tensorType)).bytes(3, docString);
}

/** NodeProto. `attributes`: { name: number } (integers become INT, non-integers FLOAT). */
export function node(opType, inputs, outputs, { name, attributes = {} } = {}) {
  const m = new Message();
  for (const input of inputs) m.bytes(1, input);
  for (const output of outputs) m.bytes(2, output);
  m.bytes(3, name ?? outputs[0]);
  m.bytes(4, opType);
  for (const [key, value] of Object.entries(attributes)) {
    const attr = new Message().bytes(1, key);
    if (Number.isInteger(value)) attr.int(20, AttributeType.INT).int(3, value);
    else attr.int(20, AttributeType.FLOAT).float(2, value);
    m.bytes(5, attr);
  }
  return m;
}

/** GraphProto. */
export function graph({ name, nodes, initializers, inputs, outputs, docString }) {
  const m = new Message();
  for (const n of nodes) m.bytes(1, n);
  m.bytes(2, name);
  for (const t of initializers) m.bytes(5, t);
  m.bytes(10, docString);
  for (const i of inputs) m.bytes(11, i);
  for (const o of outputs) m.bytes(12, o);
  return m;
}

/** ModelProto, encoded. `metadata` becomes metadata_props (string key/value pairs). */
export function encodeModel({
  irVersion,
  opsetVersion,
  producerName,
  producerVersion,
  modelVersion,
  docString,
  graph: g,
  metadata = {},
}) {
  const m = new Message();
  m.int(1, irVersion);
  m.bytes(2, producerName);
  m.bytes(3, producerVersion);
  m.int(5, modelVersion);
  m.bytes(6, docString);
  m.bytes(7, g);
  // The default domain ("" = ai.onnx) is written as an empty domain string, like onnx.helper does.
  m.bytes(8, new Message().bytes(1, '').int(2, opsetVersion));
  for (const [key, value] of Object.entries(metadata)) m.bytes(14, new Message().bytes(1, key).bytes(2, String(value)));
  return m.encode();
}
