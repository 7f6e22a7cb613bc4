// What the Chinese page must not show in English: every Redoc interface string the build translates
// (docs/redoc-interface.ts), and a reader of a page's interface text (visible text nodes outside code, and the
// aria-label, placeholder and title attributes a screen reader or a hover shows).
import type { Page } from "playwright-core";
import { LABELS, LITERALS } from "../../docs/redoc-interface.ts";

/** The English strings the build translates for a locale: label defaults, and the words inside patched literals. */
export function translatedEnglish(tag: string): string[] {
  const words = new Set<string>();
  for (const label of LABELS[tag] ?? []) words.add(label.en.trim());
  for (const [from] of LITERALS[tag] ?? []) {
    for (const match of from.matchAll(/`([^`]*)`/g)) {
      const text = (match[1] ?? "").trim().replace(/:$/, "");
      if (/[A-Za-z]{2}/.test(text)) words.add(text);
    }
  }
  return [...words];
}

/** The page's interface text as a reader meets it (code blocks, samples and schema field names left out). */
export async function interfaceText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found = new Set<string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest("pre, code, script, style, textarea")) continue;
      const rect = parent.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      const text = (node.textContent ?? "").trim().replace(/:$/, "");
      if (text) found.add(text);
    }
    for (const element of document.querySelectorAll("[aria-label], [placeholder], [title]")) {
      for (const name of ["aria-label", "placeholder", "title"]) {
        const value = element.getAttribute(name)?.trim();
        if (value) found.add(value);
      }
    }
    return [...found];
  });
}

/** The translated English strings a page still shows (an empty list on a fully translated page). */
export async function untranslatedInterface(page: Page, tag: string): Promise<string[]> {
  const english = new Set(translatedEnglish(tag));
  return (await interfaceText(page)).filter((text) => english.has(text));
}
