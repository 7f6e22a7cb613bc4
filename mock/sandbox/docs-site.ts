// Serves the built docs site (docs/dist/, made by `npm run docs`) under /docs/. The folder is read per request,
// so a site built while the sandbox runs appears without a restart; until it exists, /docs/ answers a 404
// envelope saying how to build it.
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import { errorEnvelope } from "./envelope.ts";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".yaml": "application/yaml; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

function notFound(reply: FastifyReply, msg: string): FastifyReply {
  return reply.code(404).send(errorEnvelope({ status: 404, msg }));
}

export function registerDocsSite(
  app: FastifyInstance,
  docsDir: string,
  logged: (reply: FastifyReply) => FastifyReply,
): void {
  const root = normalize(docsDir);
  app.get("/docs", (_request, reply) => void logged(reply.redirect("/docs/", 301)));
  app.get("/docs/*", async (request, reply) => {
    const rest = (request.params as { "*": string })["*"] ?? "";
    let relative: string;
    try {
      relative = decodeURIComponent(rest.split("?")[0] ?? "");
    } catch {
      return void logged(notFound(reply, `no docs page at /docs/${rest}`));
    }
    let file = normalize(join(root, relative));
    if (file !== root && !file.startsWith(root + sep))
      return void logged(notFound(reply, `no docs page at /docs/${rest}`));
    const rootStat = await stat(root).catch(() => undefined);
    if (!rootStat?.isDirectory()) {
      return void logged(notFound(reply, "the docs site is not built yet: run `npm run docs`, then reload /docs/"));
    }
    const fileStat = await stat(file).catch(() => undefined);
    if (fileStat?.isDirectory()) file = join(file, "index.html");
    const body = await readFile(file).catch(() => undefined);
    if (!body) return void logged(notFound(reply, `no docs page at /docs/${rest}`));
    return void logged(
      reply
        .type(contentTypes[extname(file).toLowerCase()] ?? "application/octet-stream")
        .header("cache-control", "no-cache")
        .send(body),
    );
  });
}
