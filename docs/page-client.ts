// The reference page's own script (bundled inline by docs/page.ts; no library):
// - the language links and the guide's links to the other language keep the current place (Redoc routes with the
//   hash, and both languages share their anchors);
// - the bar's "Try it" link opens the console on the operation in view;
// - the guide's code blocks get a copy button (Redoc renders sections as they come into view, so blocks are picked
//   up as they appear).
const bar = document.querySelector<HTMLElement>("nav.lang-bar");
const words = { copy: bar?.dataset.copy ?? "Copy", copied: bar?.dataset.copied ?? "Copied" };
const OTHER_LANGUAGE = /^\.\.\/[A-Za-z-]+\/$/;

document.addEventListener(
  "click",
  (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!link) return;
    const href = (link.getAttribute("href") ?? "").split("#")[0] ?? "";
    if (link.hasAttribute("data-lang-link") || OTHER_LANGUAGE.test(href)) {
      link.setAttribute("href", `${href}${location.hash}`);
    } else if (link.hasAttribute("data-console-link")) {
      const operation = location.hash.split("/").pop() ?? "";
      link.setAttribute("href", `console.html${operation ? `#${operation}` : ""}`);
    }
  },
  true,
);

function addCopyButtons(): void {
  for (const pre of document.querySelectorAll<HTMLPreElement>(
    '[data-component-name="Markdown/Markdown"] > pre:not([data-copy])',
  )) {
    pre.setAttribute("data-copy", "");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "guide-copy";
    button.textContent = words.copy;
    button.addEventListener("click", async () => {
      const code = pre.cloneNode(true) as HTMLPreElement;
      code.querySelector(".guide-copy")?.remove();
      await navigator.clipboard.writeText((code.textContent ?? "").replace(/\n$/, ""));
      button.textContent = words.copied;
      setTimeout(() => {
        button.textContent = words.copy;
      }, 1500);
    });
    pre.append(button);
  }
}

let queued = false;
new MutationObserver(() => {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => {
    queued = false;
    addCopyButtons();
  });
}).observe(document.body, { childList: true, subtree: true });
addCopyButtons();
