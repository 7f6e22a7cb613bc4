// `npm run bench`: runs every bench/*.bench.ts section (each compares something with its peers in one run)
// and prints one table per section. Figures worth keeping go to bench/RESULTS.md with date and machine.
//
// A section module exports `title` and `run(): Promise<BenchTable>`; `npm run bench -- client` runs only
// the sections whose file name contains "client".
import { readdirSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface BenchTable {
  columns: string[];
  rows: (string | number)[][];
  notes?: string[];
}
interface BenchSection {
  title: string;
  run: () => Promise<BenchTable>;
}

export function markdownTable(table: BenchTable): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(table.columns), line(table.columns.map(() => "---")), ...table.rows.map(line)].join("\n");
}

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? "";
const files = readdirSync(here)
  .filter((name) => name.endsWith(".bench.ts") && name.includes(filter))
  .sort();
console.log(`# Benchmarks, ${new Date().toISOString().slice(0, 10)}`);
console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
);
for (const file of files) {
  const section = (await import(pathToFileURL(join(here, file)).href)) as BenchSection;
  console.log(`## ${section.title}`);
  const table = await section.run();
  console.log(markdownTable(table));
  for (const note of table.notes ?? []) console.log(`- ${note}`);
  console.log();
}
