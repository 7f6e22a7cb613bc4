// `npm run bench -- url-parser`: parse time per link of the goods-link parser (parseGoodsUrl), ordinary links and
// the worst cases built to cost it the most (issue 10, finding 4), with the work each one took. Pure CPU, in
// process: no server, no network. For comparison, the same links through the parser as it was before the
// shape rewrite (read from git, when the history is there).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { analyseGoodsLink, parseGoodsLink } from "../mock/sandbox/domain/url-parser.ts";
import { linkCases } from "../test/sandbox-domain/url-parser.cases.ts";
import { branchingWrappers, nestedWrappers, ordinaryLongLink } from "../test/sandbox-domain/url-parser.crafted.ts";
import type { BenchTable } from "./run.ts";

export const title = "Goods-link parser (parseGoodsUrl): time per link, ordinary and worst case";

/** The parser before the shape rewrite (commit 0be60b3), the one the security review measured. */
const BEFORE_COMMIT = "0be60b3";
type Parse = (text: string) => unknown;

async function parserBefore(): Promise<{ parse: Parse; cleanup: () => void } | null> {
  try {
    const source = execFileSync("git", ["show", `${BEFORE_COMMIT}:mock/sandbox/domain/url-parser.ts`], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const dir = mkdtempSync(join(tmpdir(), "url-parser-before-"));
    const file = join(dir, "url-parser-before.ts");
    writeFileSync(file, source);
    const module = (await import(pathToFileURL(file).href)) as { parseGoodsLink: Parse };
    return { parse: module.parseGoodsLink, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  } catch {
    return null;
  }
}

/** Median over rounds of the mean time per call, in microseconds. */
function timePerCall(parse: Parse, inputs: string[], minCallsPerRound: number, rounds = 5): number {
  const perRound = Math.max(inputs.length, minCallsPerRound);
  for (let i = 0; i < Math.min(perRound, 200); i++) parse(inputs[i % inputs.length] as string); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < perRound; i++) parse(inputs[i % inputs.length] as string);
    samples.push(Number(process.hrtime.bigint() - started) / 1000 / perRound);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

export async function run(): Promise<BenchTable> {
  const rows: [string, string[], number][] = [
    ["ordinary: Taobao item link", ["https://item.taobao.com/item.htm?id=768650559131"], 20_000],
    [
      "ordinary: agent link (cnfans shape)",
      ["https://cnfans.com/product?id=726145768645&platform=TAOBAO&ref=5"],
      20_000,
    ],
    [
      "ordinary: agent link wrapping an encoded link twice (sugargoo)",
      [
        "https://www.sugargoo.com/#/home/productDetail?productLink=https%253A%252F%252Fweidian.com%252Fitem.html%253FitemID%253D5418645467&memberId=1",
      ],
      20_000,
    ],
    [
      "ordinary: pasted text around a link",
      ["【淘宝】 https://item.taobao.com/item.htm?id=768650559131 复制链接打开"],
      20_000,
    ],
    ["the whole case table (mean per case)", linkCases.map((c) => c.input), 5_000],
    ["ordinary 2 KB link (wrapper + tracking parameters)", [ordinaryLongLink()], 3_000],
    [
      "worst case: 2 KB of nested url=/productlink= wrappers",
      [nestedWrappers("https://item.taobao.com/item.htm?id=x")],
      3_000,
    ],
    [
      "worst case: wrappers holding the next link plain and encoded",
      [branchingWrappers("https://item.taobao.com/item.htm?id=x")],
      3_000,
    ],
    ["worst case: 2 KB of text with no link", ["复制这段描述 ".repeat(300).slice(0, 2048)], 3_000],
  ];
  const before = await parserBefore();
  const table: BenchTable = {
    columns: ["input", "chars", "µs per parse", "URL parses", "chars parsed", `µs before (${BEFORE_COMMIT})`],
    rows: [],
    notes: [],
  };
  try {
    for (const [name, inputs, calls] of rows) {
      const now = timePerCall(parseGoodsLink, inputs, calls);
      const work = inputs.map((input) => analyseGoodsLink(input).work);
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      const then =
        before === null ? "-" : timePerCall(before.parse, inputs, Math.max(20, Math.floor(calls / 50))).toFixed(1);
      table.rows.push([
        name,
        Math.round(mean(inputs.map((i) => i.length))),
        now.toFixed(1),
        mean(work.map((w) => w.candidates)).toFixed(1),
        Math.round(mean(work.map((w) => w.chars))),
        then,
      ]);
    }
  } finally {
    before?.cleanup();
  }
  table.notes?.push(
    "median of 5 rounds; each round parses the row's inputs in a loop in this process (tsx), after a warm-up",
    "URL parses = candidate links parsed (the work meter); chars parsed = their total length (bounded by 16,384)",
    before === null
      ? `the before column needs commit ${BEFORE_COMMIT} in git history`
      : `before = the parser of commit ${BEFORE_COMMIT} (fewer calls per round for it: its worst cases are slow)`,
  );
  return table;
}
