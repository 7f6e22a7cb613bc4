// The smaller findings of the hardening review, each against the real server (or the real CLI, or a real start):
// prototype keys in JSON, repeated form parameters, IP whitelist entries and CIDR ranges, the strict admin
// argument parser, an unusable store at start, another process holding the write lock, `Expect`, the banner.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, repoRoot, startSandbox } from "../helpers.ts";
import { admin, adminFails, createApp } from "./admin.ts";
import { openSocket, parseResponse } from "./raw-http.ts";
import { bearer, call, demo, goodsQuery, reader, token, tokenRequest } from "./sandbox-client.ts";

const detail = "/open-api/goods/detail";
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let dir: string;
let dbPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sandbox-edges-"));
  dbPath = join(dir, "store.db");
  sandbox = await startSandbox({ dbPath });
});
afterAll(async () => {
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("request bodies", () => {
  it("a JSON body holding __proto__ or constructor.prototype keys is served with those keys removed", async () => {
    const auth = bearer(await token(sandbox.baseUrl));
    const bodies = [
      '{"goodsId":"123456","source":1,"__proto__":{"polluted":"yes"}}',
      '{"goodsId":"123456","source":1,"constructor":{"prototype":{"polluted":"yes"}}}',
    ];
    for (const body of bodies) {
      const answer = await call(sandbox.baseUrl, detail, body, auth);
      expect(answer.status).toBe(200);
      expect(answer.body.code).toBe(0);
      expect(answer.text).not.toContain("polluted");
    }
    // Nothing leaked into later requests: a plain body still answers as before.
    const plain = await call(sandbox.baseUrl, detail, goodsQuery, auth);
    expect(plain.status).toBe(200);
    expect(plain.text).not.toContain("polluted");
  });

  it("a form parameter sent twice is refused with 400 (RFC 6749 section 3.1)", async () => {
    for (const form of [
      "grant_type=client_credentials&scope=goods:detail:read&scope=goods:qc:read",
      "grant_type=client_credentials&grant_type=client_credentials",
    ]) {
      const twice = await fetch(`${sandbox.baseUrl}/open-api/system/oauth2/token`, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${demo.clientId}:${demo.secret}`).toString("base64")}`,
          "tenant-id": "1",
          "content-type": "application/x-www-form-urlencoded",
        },
        body: form,
      });
      expect(twice.status).toBe(400);
      const body = await twice.json();
      expect(body).toMatchObject({ code: 400, data: null });
      expect(body.msg).toMatch(/^form parameter (scope|grant_type) is sent more than once: send each parameter once/);
    }
  });

  it("Expect: 200-ok is answered 417 in the envelope", async () => {
    const connection = await openSocket(sandbox.port);
    connection.socket.write(
      `POST ${detail} HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
    );
    await connection.closed;
    const answer = parseResponse(connection.received());
    expect(answer.status).toBe(417);
    expect(answer.body).toMatchObject({ code: 417, data: null });
    expect(answer.body?.msg).toMatch(/^Expect: 200-ok is not supported/);
  });
});

describe("admin CLI", () => {
  it("set-whitelist refuses entries that can never match and accepts CIDR ranges, which the server honours", async () => {
    const app = await createApp(dbPath, "goods:detail:read");
    for (const bad of ["999.1.1.1", "cafe", ":::::", "10.0.0.0/33", "127.0.0.1/8/1"]) {
      expect(await adminFails(dbPath, "set-whitelist", app.clientId, bad)).toContain(
        `"${bad}" is not an IP address or CIDR range`,
      );
    }
    await admin(dbPath, "set-whitelist", app.clientId, "203.0.113.0/24,2001:db8::/32");
    const outside = await tokenRequest(sandbox.baseUrl, app);
    expect(outside.status).toBe(403);
    expect(outside.body.msg).toBe("IP 127.0.0.1 is not in this application's whitelist");
    await admin(dbPath, "set-whitelist", app.clientId, "127.0.0.0/8");
    expect((await tokenRequest(sandbox.baseUrl, app)).status).toBe(200);
  });

  it("every command refuses a misspelled option or a stray argument instead of ignoring it", async () => {
    expect(
      await adminFails(
        dbPath,
        "create-app",
        "app-typo",
        "--tenant",
        "1",
        "--scopes",
        "goods:detail:read",
        "--nmae",
        "x",
      ),
    ).toMatch(/unknown option --nmae; allowed: --tenant --scopes --name/);
    expect(await adminFails(dbPath, "set-qps", "sandbox-demo", "2", "3")).toMatch(/unexpected argument "3"/);
    expect(await adminFails(dbPath, "list-apps", "--jsn")).toMatch(/unknown option --jsn/);
    expect(await adminFails(dbPath, "create-member", "--tenant", "1", "--email")).toMatch(/--email needs a value/);
  });
});

describe("the store", () => {
  const start = (env: NodeJS.ProcessEnv) =>
    spawnSync(bin("tsx"), [join(repoRoot, "mock", "sandbox", "main.ts")], {
      env: { ...process.env, HOST: "127.0.0.1", PORT: "0", ...env },
      encoding: "utf8",
      timeout: 60_000,
    });

  it("a corrupt or unusable store file stops the start with one line naming the file and SANDBOX_DB", () => {
    const corrupt = join(dir, "corrupt.db");
    writeFileSync(corrupt, "this is not a SQLite database, just text that happens to be long enough".repeat(100));
    const notAFolder = join(dir, "plain-file");
    writeFileSync(notAFolder, "x");
    for (const [path, advice] of [
      [corrupt, /SQLITE_NOTADB.*not a readable SQLite database/],
      [join(notAFolder, "store.db"), /(ENOTDIR|EEXIST).*its folder cannot be created/],
    ] as const) {
      const result = start({ SANDBOX_DB: path });
      expect(result.status).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`sandbox: cannot use the store SANDBOX_DB=${path} (`);
      expect(lines[0]).toMatch(advice);
    }
  });

  it("a write lock held by another process answers a retryable 429, while reads are served meanwhile", async () => {
    const app = await createApp(dbPath, "goods:detail:read");
    const accessToken = await token(sandbox.baseUrl, app);
    // Another process (as the admin CLI or a second sandbox would) holds the write lock for a few seconds.
    const holder: ChildProcess = spawn(
      process.execPath,
      [
        "-e",
        `const db = new (require("better-sqlite3"))(process.argv[1]); db.exec("BEGIN IMMEDIATE");
         console.log("locked"); setTimeout(() => { db.exec("COMMIT"); db.close(); }, 6000);`,
        dbPath,
      ],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout?.once("data", () => resolve()));
      const order: string[] = [];
      const write = tokenRequest(sandbox.baseUrl, app).then((answer) => {
        order.push("write");
        return answer;
      });
      const read = call(sandbox.baseUrl, detail, goodsQuery, bearer(accessToken)).then((answer) => {
        order.push("read");
        return answer;
      });
      const [written, readAnswer] = await Promise.all([write, read]);
      expect(readAnswer.status).toBe(200);
      expect(order).toEqual(["read", "write"]);
      expect(written.status).toBe(429);
      expect(written.headers.get("retry-after")).toBe("1");
      expect(written.body).toEqual({
        code: 429,
        data: null,
        msg: "the sandbox store is busy (another process holds its write lock, e.g. the admin CLI): retry after 1 s",
      });
    } finally {
      holder.kill();
    }
  });

  it("the banner prints a demo secret only while it still verifies", async () => {
    await admin(dbPath, "reset-secret", "sandbox-demo");
    const restarted = await startSandbox({ dbPath });
    try {
      expect(restarted.output()).toContain(`${reader.clientId} / ${reader.secret}`);
      expect(restarted.output()).not.toContain(demo.secret);
      expect(restarted.output()).toContain("sandbox-demo / (secret was reset: use the one reset-secret printed)");
      // The docs' console is pre-filled from /docs/environment.json: the same rule holds there, and at once.
      const environment = (await (await fetch(`${restarted.baseUrl}/docs/environment.json`)).json()) as {
        demoApps: { clientId: string; clientSecret: string }[];
      };
      expect(environment.demoApps.map((a) => a.clientId)).toEqual([reader.clientId]);
      expect(JSON.stringify(environment)).not.toContain(demo.secret);
    } finally {
      await restarted.stop();
    }
  });

  it("/docs/environment.json drops a demo application as soon as its secret is reset", async () => {
    const folder = mkdtempSync(join(tmpdir(), "sandbox-env-"));
    const fresh = join(folder, "sandbox.db");
    const running = await startSandbox({ dbPath: fresh });
    try {
      const listed = async () =>
        (
          (await (await fetch(`${running.baseUrl}/docs/environment.json`)).json()) as {
            demoApps: { clientId: string }[];
          }
        ).demoApps.map((a) => a.clientId);
      expect(await listed()).toEqual([demo.clientId, reader.clientId]);
      await admin(fresh, "reset-secret", reader.clientId);
      expect(await listed()).toEqual([demo.clientId]);
    } finally {
      await running.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
