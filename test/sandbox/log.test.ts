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
