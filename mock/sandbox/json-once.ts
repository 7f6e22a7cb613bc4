// JSON for answers that share frozen domain records. The catalogue, the QC records and the search hits are frozen
// once and handed out on every call; serialising them again per request was the largest single cost of the read
// operations (qc-page at pageSize 100 spent 40% of its CPU in JSON.stringify, and frozen arrays stringify slower
// than plain ones). A frozen value cannot change, so its JSON text is computed once and kept beside it (WeakMap:
// it goes when the record goes). Unfrozen values are serialised as JSON.stringify would; the output is
// byte-for-byte JSON.stringify's (key order, skipped undefined members, null for undefined array items).
const texts = new WeakMap<object, string>();

export function jsonOf(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Object.isFrozen(value)) {
    let text = texts.get(value);
    if (text === undefined) {
      text = JSON.stringify(value);
      texts.set(value, text);
    }
    return text;
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      const item = value[i];
      out += item === undefined || typeof item === "function" ? "null" : jsonOf(item);
    }
    return `${out}]`;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return JSON.stringify(value);
  let out = "{";
  let first = true;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
    out += `${first ? "" : ","}${JSON.stringify(key)}:${jsonOf(item)}`;
    first = false;
  }
  return `${out}}`;
}

/** Whether no frozen value (one with its JSON kept) is inside: then nothing of jsonOf's cache would be reused. */
function sharesNothing(value: object): boolean {
  if (Object.isFrozen(value)) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item !== null && typeof item === "object" && !sharesNothing(item)) return false;
    }
    return true;
  }
  for (const key in value) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (item !== null && typeof item === "object" && !sharesNothing(item)) return false;
  }
  return true;
}

const envelopes = new WeakMap<object, Buffer>();

/**
 * The bytes of a success envelope. When its data is a shared frozen record (goods, a QC record, a memoised page),
 * the whole envelope is encoded once and the same Buffer is sent on every call: no string to build, flatten and
 * encode per request (a page of 100 QC records is ~32 KB). Otherwise the JSON text (jsonOf).
 */
export function envelopeBody(body: { code: number; data: unknown; msg: string }): string | Buffer {
  const { data } = body;
  if (body.code !== 0 || body.msg !== "" || data === null || typeof data !== "object" || !Object.isFrozen(data)) {
    // A body made for this answer alone (a redemption's coupons) has no text to reuse: JSON.stringify does it in
    // half jsonOf's time (~0.9 µs against ~2 µs for a redemption).
    return sharesNothing(body) ? JSON.stringify(body) : jsonOf(body);
  }
  let bytes = envelopes.get(data);
  if (bytes === undefined) {
    bytes = Buffer.from(`{"code":0,"data":${jsonOf(data)},"msg":""}`);
    envelopes.set(data, bytes);
  }
  return bytes;
}
