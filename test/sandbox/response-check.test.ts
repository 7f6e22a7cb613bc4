// The checkers that guard every other sandbox test must be able to fail: the server's own response check
// (SANDBOX_VALIDATE_RESPONSES) and the tests' independent spec check both reject broken answers.
import { describe, expect, it } from "vitest";
import { responseChecker } from "../../mock/sandbox/response-check.ts";
import { loadSpec, operationTable } from "../../mock/sandbox/spec.ts";
import { specValidators } from "../../mock/sandbox/validation.ts";
import { specChecker } from "./sandbox-client.ts";

const spec = loadSpec();
const operations = operationTable(spec);
const check = responseChecker(operations, specValidators(spec));
const detail = operations.find((o) => o.operationId === "getGoodsDetail");
const noHeaders = () => undefined;
const bearerChallenge = (name: string) =>
  name.toLowerCase() === "www-authenticate" ? 'Bearer realm="open-api"' : undefined;

describe("the server's response check", () => {
  it("builds one route per operation of the spec, each with its scope", () => {
    expect(operations.map((o) => o.operationId).sort()).toEqual(
      Object.values(spec.paths)
        .flatMap((item) => Object.values(item).map((o) => o.operationId))
        .sort(),
    );
    expect(detail?.scope).toBe("goods:detail:read");
  });

  it("accepts a conforming answer", () => {
    expect(
      check(detail, 401, JSON.stringify({ code: 401, data: null, msg: "no token" }), bearerChallenge),
    ).toBeUndefined();
  });

  it("rejects a 401 without its WWW-Authenticate challenge", () => {
    expect(check(detail, 401, JSON.stringify({ code: 401, data: null, msg: "no token" }), noHeaders)).toMatch(
      /www-authenticate is missing/,
    );
  });

  it("rejects a leaked field, a wrong code, an undocumented status and a missing Retry-After", () => {
    expect(
      check(detail, 401, JSON.stringify({ code: 401, data: null, msg: "x", trace: "a" }), bearerChallenge),
    ).toMatch(/additional properties/);
    expect(check(detail, 403, JSON.stringify({ code: 401, data: null, msg: "x" }), noHeaders)).toMatch(/HTTP 403/);
    expect(check(detail, 418, JSON.stringify({ code: 418, data: null, msg: "x" }), noHeaders)).toMatch(
      /does not document HTTP 418/,
    );
    expect(check(detail, 429, JSON.stringify({ code: 429, data: null, msg: "slow down" }), noHeaders)).toMatch(
      /retry-after is missing/,
    );
    expect(check(detail, 200, JSON.stringify({ code: 0, data: { goodsId: "1" }, msg: "" }), noHeaders)).toBeDefined();
  });

  it("rejects a non-envelope outside any operation", () => {
    expect(
      check(undefined, 404, JSON.stringify({ code: 404, data: null, msg: "no such path" }), noHeaders),
    ).toBeUndefined();
    expect(check(undefined, 404, JSON.stringify({ error: "Not Found", statusCode: 404 }), noHeaders)).toBeDefined();
    expect(check(undefined, 404, JSON.stringify({ code: 400, data: null, msg: "x" }), noHeaders)).toBeDefined();
  });
});

describe("the tests' spec check", () => {
  const conforms = specChecker();
  const answer = (status: number, body: unknown) => ({
    status,
    body: body as never,
    headers: new Headers(),
    text: JSON.stringify(body),
  });
  it("accepts a conforming answer and rejects broken ones", () => {
    expect(conforms("/open-api/goods/detail", answer(403, { code: 403, data: null, msg: "x" }))).toBeUndefined();
    expect(conforms("/open-api/goods/detail", answer(403, { code: 403, data: null, msg: "" }))).toBeDefined();
    expect(conforms("/open-api/goods/detail", answer(200, { code: 400, data: null, msg: "x" }))).toBeDefined();
    expect(conforms("/open-api/goods/detail", answer(404, { code: 404, data: null, msg: "x" }))).toMatch(
      /not documented/,
    );
    expect(conforms("/open-api/nope", answer(200, {}))).toMatch(/no operation/);
  });
});
