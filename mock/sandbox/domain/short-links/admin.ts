// Admin CLI commands for the short-link fixture table: add-short-link, list-short-links, remove-short-link.
// Arguments are read by node:util parseArgs in strict mode (an unknown option or a missing argument is an error).
import { parseArgs } from "node:util";
import type { AdminCommand } from "../../admin/registry.ts";
import { formatCst } from "../platform-time.ts";
import { addShortLink, listShortLinks, removeShortLink } from "./fixtures.ts";

function positionals(args: string[], names: string[], usage: string): string[] {
  let values: string[];
  try {
    values = parseArgs({ args, options: {}, allowPositionals: true, strict: true }).positionals;
  } catch (error) {
    throw new Error(`${(error as Error).message}: ${usage}`);
  }
  if (values.length !== names.length) {
    throw new Error(
      `expected ${names.length === 0 ? "no arguments" : names.join(" ")}, got ${values.length}: ${usage}`,
    );
  }
  return values;
}

const ADD_USAGE = "add-short-link <url> <source> <goodsId>";
const REMOVE_USAGE = "remove-short-link <url>";

export const shortLinkAdminCommands: AdminCommand[] = [
  {
    name: "add-short-link",
    usage: ADD_USAGE,
    summary:
      "Make parseGoodsUrl answer a short link (m.tb.cn/..., qr.1688.com/...) with this goods item; " +
      "source 1|2|3 or taobao|tmall|1688|weidian|jd|pinduoduo|xianyu. Replaces an existing entry.",
    run: async (args, ctx) => {
      const [url, source, goodsId] = positionals(args, ["<url>", "<source>", "<goodsId>"], ADD_USAGE) as [
        string,
        string,
        string,
      ];
      const hit = await addShortLink(ctx.sql, url, source, goodsId, ctx.now().getTime());
      ctx.out(`short link ${url} -> ${hit.platform} goods ${hit.id}`);
    },
  },
  {
    name: "list-short-links",
    usage: "list-short-links",
    summary: "List the short-link fixtures (shared by every tenant: a short link leads to the same goods for all).",
    run: async (args, ctx) => {
      positionals(args, [], "list-short-links");
      const rows = await listShortLinks(ctx.sql);
      if (rows.length === 0) ctx.out("(none)");
      for (const r of rows) ctx.out(`${r.url}  ${r.platform}  ${r.goods_id}  ${formatCst(r.created_at)}`);
    },
  },
  {
    name: "remove-short-link",
    usage: REMOVE_USAGE,
    summary: "Remove a short-link fixture: parseGoodsUrl refuses that short link again.",
    run: async (args, ctx) => {
      const [url] = positionals(args, ["<url>"], REMOVE_USAGE) as [string];
      if (!(await removeShortLink(ctx.sql, url)))
        throw new Error(`no short-link fixture for ${url}: see list-short-links`);
      ctx.out(`short link ${url} removed`);
    },
  },
];

export function registerShortLinkAdminCommands(registry: { register: (command: AdminCommand) => void }): void {
  for (const command of shortLinkAdminCommands) registry.register(command);
}
