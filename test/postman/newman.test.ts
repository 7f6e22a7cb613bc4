// The docs' Postman collection and its sandbox environment, run with Newman (the npm package's CLI, as a partner
// runs it) against a sandbox started here: every request's checks run and pass, twice in a row on the same sandbox;
// wrong credentials and a response that breaks the spec make Newman fail; the cached token is reused, refreshed
// ahead of its expiry, and re-fetched after a 401. A counting proxy (test/contract/mutants/proxy.ts) in front of the
// sandbox sees every request the collection's scripts send.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docsBundle, loadEnglishSpec, translatedSpec } from "../../docs/build.ts";
import { codeSamplesFor } from "../../docs/code-samples.ts";
import { type Locale, locales } from "../../docs/locales.ts";
import { type JsonObject, listOperations } from "../../docs/operations.ts";
import { POSTMAN_VARIABLES, postmanCollection, postmanEnvironment } from "../../docs/postman.ts";
import { mutants } from "../contract/mutants/faults.ts";
import { type Fault, startMutantProxy } from "../contract/mutants/proxy.ts";
import { bin, startSandbox } from "../helpers.ts";

const demo = { clientId: "sandbox-demo", clientSecret: "sandbox-demo-secret", tenantId: "1" };
const TOKEN_PATH = "/open-api/system/oauth2/token";

const [english] = locales as [Locale, ...Locale[]];
/** What the docs build writes to downloads/postman.<lang>.json. */
const collectionOf = (locale: Locale) =>
  postmanCollection(docsBundle(translatedSpec(loadEnglishSpec(), locale), locale), locale.tag);

let scratch: string;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let collectionFile: string;
let environmentFile: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "rizzit-newman-"));
  collectionFile = join(scratch, "postman.en.json");
  environmentFile = join(scratch, "postman.sandbox.environment.json");
  writeFileSync(collectionFile, JSON.stringify(collectionOf(english)));
  writeFileSync(environmentFile, JSON.stringify(postmanEnvironment()));
  sandbox = await startSandbox({ env: { SANDBOX_LOG_LEVEL: "warn" } });
});
afterAll(async () => {
  await sandbox?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

interface Execution {
  item: { name: string };
  response?: { code: number };
  assertions?: { assertion: string; error?: { message: string } }[];
}
interface NewmanReport {
  run: { executions: Execution[]; failures: { error: { test?: string; message: string } }[] };
}

let runs = 0;
/**
 * `newman run <collection> -e <environment> --env-var OPENAPI_BASE_URL=<url> ...` as a partner types it: its exit
 * code and its JSON report.
 */
async function newmanCli(baseUrl: string, options: { envVars?: string[] } = {}) {
  const report = join(scratch, `report-${++runs}.json`);
  const args = ["run", collectionFile, "-e", environmentFile];
  // --env-var overrides the environment file (a collection variable would lose to it: see TOOLCHAIN.md).
  for (const value of [`OPENAPI_BASE_URL=${baseUrl}`, ...(options.envVars ?? [])]) args.push("--env-var", value);
  args.push("--reporters", "cli,json", "--reporter-json-export", report, "--disable-unicode", "--color", "off");
  const { exitCode, output } = await new Promise<{ exitCode: number; output: string }>((resolve) => {
    execFile(bin("newman"), args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ exitCode: error ? Number((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    );
  });
  if (!existsSync(report)) throw new Error(`newman wrote no report (exit ${exitCode}):\n${output}`);
  return { exitCode, report: JSON.parse(readFileSync(report, "utf8")) as NewmanReport };
}

interface NewmanLibrary {
  run(
    options: { collection: string; environment: string; envVar: { key: string; value: string }[]; reporters: string[] },
    done: (error: Error | null, summary: NewmanReport) => void,
  ): void;
}
// The same package in-process (its documented library API): a second and later run costs no process start-up.
const newmanLibrary = createRequire(import.meta.url)("newman") as NewmanLibrary;

/** The same run through Newman's library: `failed` is what makes the CLI exit non-zero. */
function newman(baseUrl: string, options: { envVars?: string[]; collection?: string } = {}) {
  const envVar = [`OPENAPI_BASE_URL=${baseUrl}`, ...(options.envVars ?? [])].map((pair) => {
    const [key, ...value] = pair.split("=");
    return { key: key as string, value: value.join("=") };
  });
  return new Promise<{ failed: boolean; report: NewmanReport }>((resolve, reject) =>
    newmanLibrary.run(
      { collection: options.collection ?? collectionFile, environment: environmentFile, envVar, reporters: [] },
      (error, summary) =>
        error ? reject(error) : resolve({ failed: summary.run.failures.length > 0, report: summary }),
    ),
  );
}

/** The names of the collection's requests, in run order. */
function requestNames(collection: JsonObject): string[] {
  return (collection.item as { item: { name: string }[] }[]).flatMap((folder) => folder.item.map((i) => i.name));
}

/** Every request ran and every one of its checks passed (a repeated request's first attempt has none). */
function expectAllChecked(report: NewmanReport) {
  expect(report.run.failures.map((f) => `${f.error.test}: ${f.error.message}`)).toEqual([]);
  const names = requestNames(collectionOf(english));
  for (const name of names) {
    const checked = report.run.executions.filter((e) => e.item.name === name && (e.assertions?.length ?? 0) > 0);
    expect(checked.length, `${name} ran with its checks`).toBeGreaterThanOrEqual(1);
    for (const execution of checked) {
      expect(execution.assertions?.map((a) => a.assertion)).toEqual([
        "HTTP status is 200",
        "code is 0",
        expect.stringMatching(/^the body matches the spec \(\w+, 200\)$/),
      ]);
    }
  }
  expect(report.run.executions.at(-1)?.item.name).toBe("Revoke an access token");
}

/** A transparent proxy in front of the sandbox that counts what it forwards, optionally with a fault. */
async function countingProxy(fault: Fault = {}) {
  const seen: { path: string; authorization: string; status: number }[] = [];
  const proxy = await startMutantProxy(
    sandbox.baseUrl,
    {
      onRequest: (request, tools) => (fault.onRequest ? fault.onRequest(request, tools) : request),
      onResponse: async (request, response, tools) => {
        const answer = fault.onResponse ? await fault.onResponse(request, response, tools) : response;
        seen.push({
          path: request.path.split("?")[0] ?? "",
          authorization: request.headers.authorization ?? "",
          status: answer.status,
        });
        return answer;
      },
    },
    demo,
  );
  // The collection's own "Obtain an access token" request is one of them; the rest are the script's.
  const tokenRequests = () => seen.filter((s) => s.path === TOKEN_PATH).length;
  return { ...proxy, seen, scriptTokenRequests: () => tokenRequests() - 1 };
}

/** A token of the demo app, fetched by the test itself. */
async function demoToken(): Promise<string> {
  const response = await fetch(`${sandbox.baseUrl}${TOKEN_PATH}`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${demo.clientId}:${demo.clientSecret}`).toString("base64")}`,
      "tenant-id": demo.tenantId,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  return ((await response.json()) as { data: { access_token: string } }).data.access_token;
}

/** The collection with its token cache pre-filled, as Postman keeps it between two sends. */
function withCachedToken(baseUrl: string, token: string, refreshAt: number): string {
  const collection = collectionOf(english);
  const values: Record<string, string> = {
    accessToken: token,
    accessTokenRefreshAt: String(refreshAt),
    // Whom the cached token belongs to, as the pre-request script writes it.
    accessTokenFor: [baseUrl, demo.clientId, demo.tenantId, ""].join(" "),
  };
  for (const variable of collection.variable as { key: string; value: string }[]) {
    if (variable.key in values) variable.value = values[variable.key] as string;
  }
  const file = join(scratch, `cached-${++runs}.json`);
  writeFileSync(file, JSON.stringify(collection));
  return file;
}

describe("the Postman collection in Newman, against the sandbox", () => {
  it("runs green as shipped, twice in a row on the same sandbox (a fresh requestId per redemption)", async () => {
    const first = await newmanCli(sandbox.baseUrl);
    expectAllChecked(first.report);
    expect(first.exitCode).toBe(0);
    const second = await newman(sandbox.baseUrl);
    expectAllChecked(second.report);
    expect(second.failed).toBe(false);
  });

  it("fails with wrong credentials", async () => {
    const { exitCode, report } = await newmanCli(sandbox.baseUrl, {
      envVars: ["OPENAPI_CLIENT_SECRET=not-the-secret"],
    });
    expect(exitCode).not.toBe(0);
    const failed = report.run.failures.map((f) => f.error.test);
    expect(failed).toContain("HTTP status is 200");
    expect(failed).toContain("code is 0");
  });

  it("fails when the sandbox's answer breaks the spec (goods detail without its required goodsTitle)", async () => {
    const dropped = mutants.find((m) => m.name === "dropped-required-field");
    const proxy = await countingProxy(dropped?.fault);
    try {
      const { failed, report } = await newman(proxy.baseUrl);
      expect(failed).toBe(true);
      expect(report.run.failures.map((f) => f.error.test)).toEqual(["the body matches the spec (getGoodsDetail, 200)"]);
    } finally {
      await proxy.stop();
    }
  });

  it("reuses a cached token until its refresh time, then fetches a new one before it expires", async () => {
    const proxy = await countingProxy();
    try {
      const token = await demoToken();
      const cachedRun = await newman(proxy.baseUrl, {
        collection: withCachedToken(proxy.baseUrl, token, Date.now() + 10 * 60_000),
      });
      expect(cachedRun.failed).toBe(false);
      expect(proxy.scriptTokenRequests()).toBe(0);
      expect(proxy.seen.some((s) => s.authorization === `Bearer ${token}`)).toBe(true);

      // The same token, still valid at the platform, but past its refresh time: one new token, no 401 first.
      proxy.seen.length = 0;
      const dueRun = await newman(proxy.baseUrl, { collection: withCachedToken(proxy.baseUrl, token, Date.now() - 1) });
      expect(dueRun.failed).toBe(false);
      expect(proxy.scriptTokenRequests()).toBe(1);
      expect(proxy.seen.every((s) => s.status !== 401)).toBe(true);
      expect(proxy.seen.some((s) => s.authorization === `Bearer ${token}`)).toBe(false);
    } finally {
      await proxy.stop();
    }
  });

  it("re-fetches the token after a 401 and repeats that request once", async () => {
    const proxy = await countingProxy();
    try {
      // A cached token the platform no longer accepts (revoked, or the gateway restarted).
      const { failed, report } = await newman(proxy.baseUrl, {
        collection: withCachedToken(proxy.baseUrl, "revoked-or-unknown-token", Date.now() + 10 * 60_000),
      });
      expectAllChecked(report);
      expect(failed).toBe(false);
      expect(proxy.seen.filter((s) => s.status === 401)).toHaveLength(1);
      expect(proxy.scriptTokenRequests()).toBe(1);
      // The refused request was sent twice (bogus token, then the new one); the others once.
      const sent = (path: string) => proxy.seen.filter((s) => s.path === path).length;
      expect(sent("/open-api/goods/detail")).toBe(2);
      expect(sent("/open-api/goods/qc-detail")).toBe(1);
    } finally {
      await proxy.stop();
    }
  });
});

describe("the collection and environment files", () => {
  it("describe every variable, use the docs' OPENAPI_* names, and hold no credential in the collection", () => {
    // The docs' cURL sample of the token request reads the same four variables.
    const issueToken = listOperations(loadEnglishSpec()).find((op) => op.operationId === "issueToken");
    const curl = codeSamplesFor(issueToken as NonNullable<typeof issueToken>).find((s) => s.lang === "cURL");
    for (const locale of locales) {
      const collection = collectionOf(locale);
      const description = String((collection.info as JsonObject).description);
      const variables = collection.variable as { key: string; value: string }[];
      expect(variables.map((v) => v.key)).toEqual(POSTMAN_VARIABLES.map((v) => v.key));
      for (const { key } of variables) expect(description, locale.tag).toContain(`\`${key}\``);
      expect(variables.find((v) => v.key === "OPENAPI_CLIENT_SECRET")?.value).toBe("");
      // Same requests, same scripts in every language: only names and descriptions are translated.
      expect(JSON.stringify(collection.event)).toBe(JSON.stringify(collectionOf(english).event));
    }
    for (const name of ["OPENAPI_BASE_URL", "OPENAPI_CLIENT_ID", "OPENAPI_CLIENT_SECRET", "OPENAPI_TENANT_ID"]) {
      expect(curl?.source).toContain(name);
    }
    const environment = postmanEnvironment() as { values: { key: string; type: string }[] };
    expect(environment.values.map((v) => v.key)).toEqual(POSTMAN_VARIABLES.filter((v) => !v.managed).map((v) => v.key));
    expect(environment.values.find((v) => v.key === "OPENAPI_CLIENT_SECRET")?.type).toBe("secret");
  });

  it("asks the token endpoint for no particular scope, and sends a fresh requestId per redemption", () => {
    const items = (collectionOf(english).item as { item: { name: string; request: JsonObject }[] }[]).flatMap(
      (f) => f.item,
    );
    const token = items.find((i) => i.name === "Obtain an access token")?.request.body as JsonObject;
    expect(token.urlencoded).toEqual([{ key: "grant_type", value: "client_credentials" }]);
    const redeem = items.find(
      (i) => (i.request.url as JsonObject).raw === "{{OPENAPI_BASE_URL}}/open-api/promotion/redeem-code/redeem",
    );
    const body = redeem?.request.body as JsonObject | undefined;
    expect(JSON.parse(String(body?.raw)).requestId).toBe("{{$guid}}");
  });
});
