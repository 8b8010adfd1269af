/**
 * The Confluent wire format of a Kafka key or value: magic byte 0, the writer schema's id as a 4-byte big-endian
 * integer, then the Avro binary body.
 *
 *     00 00 00 00 07 | 02 06 66 6f 6f ...   → schema id 7, body from byte 5
 */

export const WIRE_HEADER_BYTES = 5;

/** The schema id of a framed value, or -1 when the value is not in the wire format (too short, wrong magic byte). */
export function wireSchemaId(b: Uint8Array): number {
  if (b.byteLength < WIRE_HEADER_BYTES || b[0] !== 0) return -1;
  return ((b[1]! << 24) | (b[2]! << 16) | (b[3]! << 8) | b[4]!) >>> 0;
}

/** `body` framed with `id`. */
export function wireFrame(id: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(WIRE_HEADER_BYTES + body.byteLength);
  out[0] = 0;
  new DataView(out.buffer).setUint32(1, id, false);
  out.set(body, WIRE_HEADER_BYTES);
  return out;
}
