// jsonOf (mock/sandbox/json-once.ts) writes exactly what JSON.stringify writes, and reuses a frozen value's text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deepFreeze } from "../../mock/sandbox/domain/catalogue.ts";
import { envelopeBody, jsonOf } from "../../mock/sandbox/json-once.ts";

describe("jsonOf", () => {
  it("equals JSON.stringify for any JSON value, frozen in part or not at all", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, freezeInner) => {
        const envelope = { code: 0, data: freezeInner ? deepFreeze(structuredClone(value)) : value, msg: "" };
        expect(jsonOf(envelope)).toBe(JSON.stringify(envelope));
      }),
      { numRuns: 300 },
    );
  });

  it("skips undefined members, writes null for undefined array items, and honours toJSON", () => {
    const value = { a: undefined, b: [undefined, 1], c: new Date(0), d: { e: undefined } };
    expect(jsonOf(value)).toBe(JSON.stringify(value));
  });

  it("serialises a frozen record once (its text is reused, so the record must not change)", () => {
    const record = deepFreeze({ goodsId: "1", list: ["a"] });
    expect(jsonOf({ data: record })).toBe('{"data":{"goodsId":"1","list":["a"]}}');
    const same = jsonOf([record, record]);
    expect(same).toBe('[{"goodsId":"1","list":["a"]},{"goodsId":"1","list":["a"]}]');
  });

  it("writes any envelope as JSON.stringify would, whether its data shares frozen parts or none", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, freezeInner) => {
        const envelope = { code: 0, data: freezeInner ? deepFreeze(structuredClone(value)) : value, msg: "" };
        expect(String(envelopeBody(envelope))).toBe(JSON.stringify(envelope));
      }),
      { numRuns: 300 },
    );
  });

  it("sends a success envelope around a frozen record as the same bytes JSON.stringify would write", () => {
    const record = deepFreeze({ goodsId: "1", list: ["a"] });
    const body = { code: 0, data: record, msg: "" };
    expect(String(envelopeBody(body))).toBe(JSON.stringify(body));
    expect(envelopeBody({ code: 0, data: record, msg: "" })).toBe(envelopeBody(body));
    const error = { code: 1008005000, data: null, msg: "Goods does not exist" };
    expect(envelopeBody(error)).toBe(JSON.stringify(error));
  });
});
