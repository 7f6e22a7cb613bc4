// The sandbox records its own traffic (SANDBOX_RECORD) during a real contract run; `npm run drift` finds no drift
// in it, and finds drift once a field is dropped from the recorded answers or a request without credentials is
// answered. The recording never holds a secret or a whole token.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maskValue, redactAuthorization, redactBody } from "../../mock/sandbox/traffic-recorder.ts";
import { scratchDir } from "../../scripts/governance/git-spec.ts";
import { credentials, runCli, secret } from "../contract/run-cli.ts";
import { bin, type Json, repoRoot, startSandbox } from "../helpers.ts";

const scratch = scratchDir("drift-");
const traffic = join(scratch.dir, "traffic.ndjson");

function drift(file: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin("tsx"), [join(repoRoot, "scripts", "drift.ts"), file], {
      cwd: repoRoot,
      env: { ...process.env, REDOCLY_TELEMETRY: "off" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c) => {
      out += c;
    });
    child.stderr.on("data", (c) => {
      out += c;
    });
    child.on("close", (code) => resolve({ code, out }));
  });
}

const lines = (file: string): Json[] =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
const writeLines = (file: string, records: Json[]) =>
  writeFileSync(file, `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
const isGoodsDetailSuccess = (r: Json) =>
  r.request.url.endsWith("/open-api/goods/detail") &&
  r.response.status === 200 &&
  JSON.parse(r.response.body).code === 0;

describe("recorded sandbox traffic through npm run drift", { timeout: 120_000 }, () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let issuedToken = "";
  beforeAll(async () => {
    sandbox = await startSandbox({ env: { SANDBOX_LOG_LEVEL: "warn", SANDBOX_RECORD: traffic } });
    const run = await runCli(["--base-url", sandbox.baseUrl, "--seed", "11", "--cases", "2"], credentials);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const answer = await fetch(`${sandbox.baseUrl}/open-api/system/oauth2/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`sandbox-demo:${secret}`).toString("base64")}`,
        "tenant-id": "1",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    issuedToken = (await answer.json()).data.access_token;
  }, 240_000);
  afterAll(async () => {
    await sandbox?.stop();
    scratch.dispose();
  });

  it("records every exchange without a secret or a whole token", () => {
    const text = readFileSync(traffic, "utf8");
    expect(lines(traffic).length).toBeGreaterThan(50);
    expect(issuedToken.length).toBeGreaterThan(15);
    for (const leak of [secret, Buffer.from(`sandbox-demo:${secret}`).toString("base64"), issuedToken]) {
      expect(text).not.toContain(leak);
    }
    // The answer that issued it is recorded with the token masked to its first 4 characters, length kept.
    expect(text).toContain(`\\"access_token\\":\\"${issuedToken.slice(0, 4)}${"*".repeat(issuedToken.length - 4)}\\"`);
    expect(text).toMatch(/"authorization":"Bearer [A-Za-z0-9_-]{4}\*+"/);
    expect(text).toMatch(/"authorization":"Basic \*+"/);
    expect(sandbox.output()).not.toContain("RESPONSE_CONTRACT_VIOLATION");
  });

  it("finds no drift in the traffic of a passing contract run", async () => {
    const run = await drift(traffic);
    expect(run.out).toContain("PASSED: no drift");
    expect(run.out).toMatch(/refused with a 4xx/); // the runner's probes: wrong methods, no credentials
    expect(run.code).toBe(0);
  });

  it("finds drift when a field is dropped from the recorded answers", async () => {
    const records = lines(traffic);
    let dropped = 0;
    for (const record of records.filter(isGoodsDetailSuccess)) {
      const body = JSON.parse(record.response.body);
      delete body.data.goodsTitle;
      record.response.body = JSON.stringify(body);
      dropped++;
    }
    expect(dropped).toBeGreaterThan(0);
    const file = join(scratch.dir, "dropped.ndjson");
    writeLines(file, records);
    const run = await drift(file);
    expect(run.out).toContain('Response is missing required field "data.goodsTitle"');
    expect(run.out).toMatch(/\| error +\| schema-consistency +\| getGoodsDetail +\|/);
    expect(run.code).toBe(1);
  });

  it("counts an answered request without credentials as drift (only a refused one is not)", async () => {
    const record = lines(traffic).find(isGoodsDetailSuccess);
    delete record.request.headers.authorization;
    const file = join(scratch.dir, "unauthenticated.ndjson");
    writeLines(file, [record]);
    const run = await drift(file);
    expect(run.out).toMatch(/security-baseline .*-> 200/);
    expect(run.code).toBe(1);
  });

  it("exits 2 on a missing traffic file", async () => {
    const run = await drift(join(scratch.dir, "nothing.ndjson"));
    expect(run.out).toContain("does not exist");
    expect(run.code).toBe(2);
  });
});

describe("traffic recorder redaction", () => {
  it("keeps a token's first 4 characters and its length, nothing of a Basic credential", () => {
    expect(maskValue("9f1c2e7a4b8d4c0e8a6f3b2d1c0e9f8a")).toBe(`9f1c${"*".repeat(28)}`);
    expect(redactAuthorization("Bearer 9f1c2e7a4b8d4c0e")).toBe(`Bearer 9f1c${"*".repeat(12)}`);
    expect(redactAuthorization("Basic c2FuZGJveC1kZW1vOnNlY3JldA==")).toBe(`Basic ${"*".repeat(28)}`);
  });

  it("masks secret and token fields of JSON and form bodies, and leaves other fields alone", () => {
    const json = redactBody(
      JSON.stringify({ data: { access_token: "abcdefghijklmnopqrst", token_type: "Bearer", scope: "x" } }),
      "application/json",
    );
    expect(JSON.parse(json).data).toEqual({ access_token: `abcd${"*".repeat(16)}`, token_type: "Bearer", scope: "x" });
    const form = redactBody(
      "token=abcdefghijklmnop&client_secret=topsecret1&grant_type=client_credentials",
      "application/x-www-form-urlencoded",
    );
    expect(form).not.toContain("abcdefghijklmnop");
    expect(form).not.toContain("topsecret1");
    expect(form).toContain("grant_type=client_credentials");
  });
});
