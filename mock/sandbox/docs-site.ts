// Serves the built docs site (docs/dist/, made by `npm run docs`) under /docs/.
//
// Files are served by @fastify/static (trailing-slash redirects such as /docs/en -> /docs/en/, content types,
// ETag + Last-Modified with 304s, path-traversal checks) and compressed by @fastify/compress (br, gzip), both
// registered in an encapsulated context so the API routes keep their own hot path untouched.
//
// The language pages (/docs/<lang>/, about 2.7 MB each) are the exception: they are held in memory (re-read only
// when the file's mtime or size changes, so a site rebuilt while the sandbox runs still appears without a restart),
// compressed once per version (br and gzip, on first request; compressing 2.7 MB costs about 0.3 s of CPU at
// @fastify/compress's per-request brotli level, measured here), and their code samples get this server's origin as
// the default base URL (`pageForOrigin`), so a sample copied from the page runs against the sandbox that served it.
// @fastify/static streams from disk per request and cannot rewrite a body, hence this small cache.
//
// /docs/environment.json tells the pages' scripts (the try-it console) that the sandbox served them and which
// demo applications it holds; the static build writes a file of the same name saying nothing served them.
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { join, normalize, sep } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import negotiate from "@fastify/accept-negotiator";
import fastifyCompress from "@fastify/compress";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { sandboxDemo } from "../../docs/sandbox-demo.ts";
import { type DocsEnvironment, pageForOrigin } from "../../docs/served-page.ts";
import { errorEnvelope } from "./envelope.ts";
import type { DemoApp } from "./store.ts";

const ENCODINGS: Encoding[] = ["br", "gzip"];

const NOT_BUILT = "the docs site is not built yet: run `npm run docs`, then reload /docs/";

/** Hosts a page may name as its own origin: anything else (a forged Host header) gets the static page as built. */
const SAFE_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

interface CachedFile {
  mtimeMs: number;
  size: number;
  html: string;
  /** The page for each origin that asked for it (a few entries: one per host name in use). */
  variants: Map<string, PageVariant>;
}

type Encoding = "br" | "gzip";

interface PageVariant {
  body: Buffer;
  etag: string;
  /** The body compressed, made once on first demand (concurrent first requests share the promise). */
  encoded: Map<Encoding, Promise<Buffer>>;
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

function encodedBody(variant: PageVariant, encoding: Encoding): Promise<Buffer> {
  let encoded = variant.encoded.get(encoding);
  if (!encoded) {
    encoded =
      encoding === "br"
        ? brotli(variant.body, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 6,
              [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
              [constants.BROTLI_PARAM_SIZE_HINT]: variant.body.length,
            },
          })
        : gzipped(variant.body, { level: 9 });
    variant.encoded.set(encoding, encoded);
  }
  return encoded;
}

function notFound(reply: FastifyReply, msg: string): FastifyReply {
  return reply
    .code(404)
    .type("application/json; charset=utf-8")
    .send(errorEnvelope({ status: 404, msg }));
}

function originOf(request: FastifyRequest): string | null {
  const host = request.headers.host ?? "";
  return SAFE_HOST.test(host) ? `${request.protocol}://${host}` : null;
}

export function registerDocsSite(
  app: FastifyInstance,
  docsDir: string,
  logged: (reply: FastifyReply) => FastifyReply,
  usableDemoApps: () => Promise<readonly DemoApp[]>,
): void {
  const root = normalize(docsDir);
  const pages = new Map<string, CachedFile>();

  async function languagePage(file: string, origin: string | null): Promise<PageVariant | null> {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return null;
    let cached = pages.get(file);
    if (!cached || cached.mtimeMs !== info.mtimeMs || cached.size !== info.size) {
      cached = { mtimeMs: info.mtimeMs, size: info.size, html: await readFile(file, "utf8"), variants: new Map() };
      pages.set(file, cached);
    }
    const key = origin ?? "";
    let variant = cached.variants.get(key);
    if (!variant) {
      const body = Buffer.from(origin ? pageForOrigin(cached.html, origin) : cached.html);
      const etag = `W/"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
      variant = { body, etag, encoded: new Map() };
      // A bounded map: a client cycling Host headers cannot grow it past a few pages' worth.
      if (cached.variants.size >= 8) cached.variants.clear();
      cached.variants.set(key, variant);
    }
    return variant;
  }

  app.get("/docs", (_request, reply) => void logged(reply.redirect("/docs/", 301)));

  // Under the /docs prefix, so this context's not-found handler answers only for /docs/... paths.
  app.register(
    async (docs) => {
      await docs.register(fastifyCompress, { encodings: ["br", "gzip"] });
      // One access-log line per answer, @fastify/static's included.
      docs.addHook("onResponse", (_request, reply, done) => {
        logged(reply);
        done();
      });

      docs.get("/environment.json", async (request, reply) => {
        // Only the demo applications whose published secret still verifies: a reset one would pre-fill a 401.
        const usable = new Set<string>((await usableDemoApps()).map((a) => a.clientId));
        const environment: DocsEnvironment = {
          servedBy: "sandbox",
          origin: originOf(request),
          tenantId: sandboxDemo.tenantId,
          demoApps: sandboxDemo.apps.filter((a) => usable.has(a.clientId)),
        };
        return reply.header("cache-control", "no-store").send(environment);
      });

      const servePage = async (request: FastifyRequest, reply: FastifyReply) => {
        const lang = (request.params as { lang?: string }).lang ?? "";
        const file = normalize(join(root, lang, "index.html"));
        if (!file.startsWith(root + sep)) return notFound(reply, `no docs page at ${request.url}`);
        const page = await languagePage(file, originOf(request));
        if (!page) {
          const built = await stat(root).catch(() => undefined);
          return notFound(reply, built?.isDirectory() ? `no docs page at ${request.url}` : NOT_BUILT);
        }
        reply.header("etag", page.etag).header("cache-control", "no-cache").header("vary", "accept-encoding");
        if (request.headers["if-none-match"] === page.etag) return reply.code(304).send();
        reply.type("text/html; charset=utf-8");
        const encoding = negotiate(String(request.headers["accept-encoding"] ?? ""), ENCODINGS);
        // Content-Encoding set here tells @fastify/compress the body is already compressed.
        if (encoding) reply.header("content-encoding", encoding);
        // Resolve to the reply: an async handler resolving undefined after a streamed send ends the answer empty.
        return reply.send(encoding ? await encodedBody(page, encoding) : page.body);
      };
      docs.get("/:lang/", servePage);
      docs.get("/:lang/index.html", servePage);

      await docs.register(fastifyStatic, {
        root,
        prefix: "/",
        redirect: true,
        index: ["index.html"],
        // Revalidate every time (ETag / Last-Modified, answered 304 when unchanged): a rebuilt site shows at once.
        cacheControl: false,
        setHeaders: (res) => res.setHeader("cache-control", "no-cache"),
        serveDotFiles: false,
      });

      docs.setNotFoundHandler(async (request, reply) => {
        const built = await stat(root).catch(() => undefined);
        return notFound(reply, built?.isDirectory() ? `no docs page at ${request.url}` : NOT_BUILT);
      });
    },
    { prefix: "/docs" },
  );
}
