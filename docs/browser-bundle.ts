// Bundles a browser script of the docs (TypeScript, type-checked with the kit) into one inline <script> body.
import { buildSync } from "esbuild";

const bundles = new Map<string, string>();

export function browserScript(entry: string): string {
  let text = bundles.get(entry);
  if (text === undefined) {
    const result = buildSync({
      entryPoints: [entry],
      bundle: true,
      format: "iife",
      target: "es2020",
      write: false,
      legalComments: "none",
    });
    const output = result.outputFiles[0]?.text;
    if (!output) throw new Error(`esbuild produced nothing for ${entry}`);
    // Inline in HTML: a "</script" inside the code would end the element early.
    text = output.replace(/<\/script/gi, "<\\/script");
    bundles.set(entry, text);
  }
  return text;
}
