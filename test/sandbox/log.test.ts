// Structured logs never carry a credential: sensitive fields are replaced, credentials inside text are masked.
import { describe, expect, it } from "vitest";
import { createLogger, redactText } from "../../mock/sandbox/log.ts";

describe("sandbox logs", () => {
  it("write one JSON object per line, with secrets and tokens redacted", () => {
    let written = "";
    const logger = createLogger("info", (chunk) => {
      written += chunk;
    });
    logger.info("token request from Basic c2FuZGJveC1kZW1vOnNhbmRib3gtZGVtby1zZWNyZXQ=", {
      authorization: "Bearer abcdefghijklmnop",
      clientSecret: "sandbox-demo-secret",
      nested: { access_token: "tok-123", note: "body was token=tok-456&x=1" },
      status: 200,
    });
    logger.debug("not at info level");
    logger.flush();
    const lines = written.trim().split("\n");
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string);
    expect(line).toMatchObject({ level: "info", status: 200, authorization: "[redacted]", clientSecret: "[redacted]" });
    expect(line.nested.access_token).toBe("[redacted]");
    for (const leaked of ["abcdefghijklmnop", "sandbox-demo-secret", "tok-123", "tok-456", "c2FuZGJveC1kZW1v"]) {
      expect(written).not.toContain(leaked);
    }
  });

  it("masks credentials in free text (a check that must be able to fail)", () => {
    expect(redactText("Authorization: Bearer abc.def")).toBe("Authorization: Bearer [redacted]");
    expect(redactText("client_secret=s3cr3t&grant_type=client_credentials")).toBe(
      "client_secret=[redacted]&grant_type=client_credentials",
    );
    expect(redactText("nothing secret here")).toBe("nothing secret here");
  });
});

describe("redaction of what the hardening review found leaking", () => {
  it("masks access_token inside a quoted JSON payload, also escaped inside a JSON string", () => {
    const payload = '{"code":0,"data":{"access_token":"AbC-123_x.y~z","token_type":"Bearer"},"msg":""}';
    expect(redactText(payload)).toBe('{"code":0,"data":{"access_token":"[redacted]","token_type":"Bearer"},"msg":""}');
    const line = JSON.stringify({ problem: `payload ${payload.slice(0, 200)}` });
    expect(redactText(line)).not.toContain("AbC-123_x");
  });

  it("masks clientSecret= and password= in text, and Basic values with any characters", () => {
    const text = "clientSecret=s3cr3t&password=hunter2 then Authorization: Basic Zm9v!!$%^&*() rest";
    const masked = redactText(text);
    for (const leaked of ["s3cr3t", "hunter2", "Zm9v!!"]) expect(masked).not.toContain(leaked);
    expect(masked).toContain("rest");
  });

  it("replaces arrays and objects under sensitive keys, keeping counts", () => {
    let written = "";
    const logger = createLogger("info", (chunk) => {
      written += chunk;
    });
    logger.info("tokens", { tokens: ["tok-a", "tok-b"], secrets: { one: "sec-1" }, prunedTokens: 3 });
    logger.flush();
    const line = JSON.parse(written);
    expect(line).toMatchObject({ tokens: "[redacted]", secrets: "[redacted]", prunedTokens: 3 });
    for (const leaked of ["tok-a", "tok-b", "sec-1"]) expect(written).not.toContain(leaked);
  });

  it("the access line of a refused call carries the client IP and the clientId attempted", () => {
    let written = "";
    const logger = createLogger("info", (chunk) => {
      written += chunk;
    });
    logger.access({
      method: "POST",
      path: "/open-api/system/oauth2/token",
      status: 401,
      ms: 1,
      operation: "issueToken",
      clientId: 'odd"id',
      ip: "127.0.0.1",
    });
    logger.flush();
    expect(JSON.parse(written)).toMatchObject({ status: 401, clientId: 'odd"id', ip: "127.0.0.1" });
  });
});

describe("the log's byte buffer", () => {
  it("keeps every line whole and in order, across full buffers, long lines and non-ASCII text", () => {
    const chunks: Buffer[] = [];
    const logger = createLogger("info", (chunk) => chunks.push(Buffer.from(chunk)));
    const access = (i: number) =>
      logger.access({
        method: "POST",
        path: "/open-api/goods/detail",
        status: 200,
        ms: i,
        operation: "getGoodsDetail",
        clientId: `app-${i}`,
      });
    for (let i = 0; i < 600; i++) access(i);
    // A line larger than the buffer, and one with Chinese text (3 bytes a character in UTF-8).
    logger.info("long", { note: "x".repeat(100_000) });
    logger.info("兑换成功,共获得 1 张优惠券");
    access(600);
    logger.flush();
    // 600 lines of ~190 bytes do not fit one 64 KiB buffer: written in more than one chunk, none cut.
    expect(chunks.length).toBeGreaterThan(2);
    const lines = Buffer.concat(chunks).toString("utf8").trim().split("\n");
    const parsed = lines.map((line) => JSON.parse(line));
    expect(parsed.filter((line) => line.msg === "request").map((line) => line.ms)).toEqual(
      Array.from({ length: 601 }, (_, i) => i),
    );
    expect(parsed[600].note).toHaveLength(100_000);
    expect(parsed[601].msg).toBe("兑换成功,共获得 1 张优惠券");
  });
});
