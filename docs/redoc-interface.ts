// Redoc's own interface words in the page's language, and Chinese search that finds words inside titles.
//
// What Redoc 3 (as inlined by `redocly build-docs --inlineBundle`) offers, read from the bundle itself:
// - Most interface strings go through a `translate(key, englishDefault)` hook. Redocly's hosted products supply a
//   dictionary through it; the CE bundle's default hook returns the English default. The build swaps that default
//   for one that looks the key up in `globalThis.__redocLabels` first (set by the page template, `labelsScript`).
// - A few strings are written into the bundle as plain literals (the search dialog's messages, "Enum Value",
//   "One of:", ...). The build replaces those exact literals (`LITERALS`).
// - The search index is FlexSearch with `tokenize: "forward"` (prefixes of space-separated words): Chinese text has
//   no spaces, so "详情" never matched inside "查询商品详情". For languages written without spaces the build sets
//   `tokenize: "full"` (every substring is indexed).
// Every patch must match the bundle exactly as expected or the build fails, naming the patch: after a Redocly
// upgrade, look at what changed. What stays English is listed in docs/README.md.
import type { Locale } from "./locales.ts";

/** One translated interface string: its key in Redoc's translate hook, the English default, the translation. */
export interface Label {
  key: string;
  en: string;
  text: string;
}

/** Labels by locale tag. English needs none (the defaults are English). */
export const LABELS: Record<string, Label[]> = {
  "zh-CN": [
    { key: "request", en: "Request", text: "请求" },
    { key: "responses", en: "Responses", text: "响应" },
    { key: "response", en: "Response", text: "响应" },
    { key: "body", en: "Body", text: "消息体" }, // also the response's body: not "请求体"
    { key: "header", en: "Headers", text: "HTTP 头" }, // request and response headers alike
    { key: "parameters", en: "Parameters", text: "参数" },
    { key: "path", en: "Path", text: "路径参数" },
    { key: "query", en: "Query", text: "查询参数" },
    { key: "cookie", en: "Cookies", text: "Cookie" },
    { key: "callbacks", en: "Callbacks", text: "回调" },
    { key: "noRequestData", en: "No request data", text: "无请求数据" },
    { key: "required", en: "required", text: "必填" },
    { key: "example", en: "Example", text: "示例" },
    { key: "examples", en: "Examples", text: "示例" },
    { key: "default", en: "Default", text: "默认值" },
    { key: "enum", en: "Enum", text: "枚举" },
    { key: "value", en: "Value", text: "取值" },
    { key: "security", en: "Security", text: "安全认证" },
    { key: "viewSecurityDetails", en: "View security details", text: "查看认证详情" },
    { key: "requiredScopes", en: "Required scopes", text: "所需 scope" },
    { key: "flowType", en: "Flow type", text: "授权模式" },
    { key: "tokenUrl", en: "Token URL", text: "令牌地址" },
    { key: "httpAuthorizationScheme", en: "HTTP Authorization Scheme", text: "HTTP 认证方案" },
    { key: "bearerFormat", en: "Bearer Format", text: "Bearer 令牌格式" },
    { key: "moreDetails", en: "More details", text: "更多详情" },
    { key: "requestSample", en: "Request sample", text: "请求示例" },
    { key: "responseSample", en: "Response sample", text: "响应示例" },
    { key: "noResponseExample", en: "No response sample", text: "无响应示例" },
    { key: "noResponseContent", en: "No content", text: "无内容" },
    { key: "noRequestPayload", en: "No request payload", text: "无请求体" },
    { key: "payload", en: "Payload", text: "请求体" },
    { key: "additionalProperties", en: "additional property", text: "附加属性" },
    { key: "recursive", en: "Recursive", text: "递归" },
    { key: "showExample", en: "Show example", text: "显示示例" },
    { key: "hideExample", en: "Hide example", text: "隐藏示例" },
    { key: "loading", en: "Loading...", text: "加载中…" },
    { key: "loaders.loading", en: "Loading...", text: "加载中…" },
    { key: "actions.show", en: "Show", text: "显示" },
    { key: "actions.hide", en: "Hide", text: "隐藏" },
    { key: "actions.more", en: "more", text: "更多" },
    { key: "badges.deprecated", en: "deprecated", text: "已弃用" },
    { key: "openapi.expandAll", en: "Expand all", text: "全部展开" },
    { key: "openapi.collapseAll", en: "Collapse all", text: "全部折叠" },
    { key: "openapi.showPattern", en: "Show pattern", text: "显示格式" },
    { key: "openapi.hidePattern", en: "Hide pattern", text: "隐藏格式" },
    { key: "openapi.deepLink.tooltip", en: "Link to this section", text: "本节链接" },
    { key: "codeSnippet.copy.tooltipText", en: "Copy to clipboard", text: "复制到剪贴板" },
    { key: "codeSnippet.copy.toasterText", en: "Copy", text: "复制" },
    { key: "codeSnippet.expand.tooltipText", en: "Expand all", text: "全部展开" },
    { key: "codeSnippet.collapse.tooltipText", en: "Collapse all", text: "全部折叠" },
    { key: "jsonViewer.showMore", en: "Show more", text: "显示更多" },
    { key: "jsonViewer.showLess", en: "Show less", text: "收起" },
    { key: "button.download.tooltipText", en: "Download description", text: "下载 API 描述" },
    { key: "button.externalLink.tooltipText", en: "Open in new tab", text: "在新标签页打开" },
    { key: "search.navbar.label", en: "Search ", text: "搜索 " },
    { key: "search.searchItem.deprecated", en: "Deprecated", text: "已弃用" },
    { key: "search.searchItem.enum", en: "Enum", text: "枚举" },
    { key: "search.searchItem.example", en: "Example", text: "示例" },
    { key: "sidebar.actions.show", en: "Show sidebar", text: "显示侧栏" },
    { key: "sidebar.actions.hide", en: "Hide sidebar", text: "隐藏侧栏" },
    { key: "operations", en: "Operations", text: "接口" },
    { key: "info.title", en: "Overview", text: "概览" },
    { key: "info.license", en: "License", text: "许可" },
    { key: "info.contact.url", en: "URL", text: "网址" },
    { key: "info.termsOfService", en: "Terms of Service", text: "服务条款" },
    { key: "servers.title", en: "Servers", text: "服务器" },
    { key: "download.description.title", en: "Download OpenAPI description", text: "下载 OpenAPI 描述" },
    { key: "referenced", en: "Referenced in", text: "引用位置" },
    { key: "contentType", en: "Response media type", text: "媒体类型" },
    { key: "page.actions.copyButtonText", en: "Copy", text: "复制" },
    { key: "page.actions.copyTitle", en: "Copy for LLM", text: "复制为 Markdown" },
    { key: "page.actions.moreActions", en: "More actions", text: "更多操作" },
    { key: "page.actions.chatGptButtonText", en: "Open in ChatGPT", text: "在 ChatGPT 中打开" },
    { key: "page.actions.chatGptTitle", en: "Open in ChatGPT", text: "在 ChatGPT 中打开" },
    { key: "page.actions.chatGptDescription", en: "Get insights from ChatGPT", text: "让 ChatGPT 解读本页" },
    { key: "page.actions.claudeButtonText", en: "Open in Claude", text: "在 Claude 中打开" },
    { key: "page.actions.claudeTitle", en: "Open in Claude", text: "在 Claude 中打开" },
    { key: "page.actions.claudeDescription", en: "Get insights from Claude", text: "让 Claude 解读本页" },
    { key: "hideOptionalScopes", en: "Hide optional scopes", text: "隐藏可选 scope" },
    { key: "showOptionalScopes", en: "Show optional scopes", text: "显示可选 scope" },
    { key: "page.apiNotFound.title", en: "No page at this address", text: "此地址没有页面" },
    { key: "page.apiNotFound.description", en: "There's no page at", text: "没有页面位于" },
    { key: "page.apiNotFound.hint", en: "It may have been moved or deleted.", text: "它可能已被移动或删除。" },
    { key: "page.apiNotFound.backButton", en: "Back to docs", text: "返回文档" },
  ],
};

/** Interface strings the bundle holds as plain literals: [exact text in the bundle, replacement, times]. */
export const LITERALS: Record<string, [string, string, number][]> = {
  "zh-CN": [
    ["children:`No results`", "children:`没有结果`", 1],
    ["children:`Searching...`", "children:`搜索中…`", 1],
    ["placeholder:`Search docs...`", "placeholder:`搜索文档…`", 1],
    ["children:`Search endpoints, schemas, and more...`", "children:`搜索接口、数据结构等…`", 1],
    ["text:`to navigate`", "text:`切换`", 1],
    ["text:`to select`", "text:`打开`", 1],
    ["text:`to exit`", "text:`退出`", 1],
    ["{children:`API docs by`}", "{children:`文档生成:`}", 1],
    ["e?`Close navigation menu`:`Open navigation menu`", "e?`关闭导航菜单`:`打开导航菜单`", 1],
    ["n.length===1?`Value`:`Enum Value`", "n.length===1?`取值`:`枚举值`", 1],
    ["?`Items `:``", "?`数组元素 `:``", 2],
    ["children:`Description`}", "children:`说明`}", 1],
    ["ONE_OF:`One of:`,ANY_OF:`Any of:`", "ONE_OF:`以下之一:`,ANY_OF:`以下任意:`", 1],
    ["Wre=`One of:`,Gre=`Any of:`", "Wre=`以下之一:`,Gre=`以下任意:`", 1],
    ["r=`Array of `", "r=`数组 · `", 2],
    ['"aria-label":`Response status`', '"aria-label":`响应状态`', 1],
    ['"aria-label":`Copy`', '"aria-label":`复制`', 1],
    ['"aria-label":`Example`', '"aria-label":`示例`', 1],
    ['"aria-label":`Collapse all`', '"aria-label":`全部折叠`', 1],
    ['"aria-label":n?`Show sidebar`:`Hide sidebar`', '"aria-label":n?`显示侧栏`:`隐藏侧栏`', 1],
    // Length and count constraints: "[ 1 .. 64 ] characters", "= 2 items", "non-empty".
    ["n(Kb(`characters`,", "n(Kb(`个字符`,", 1],
    ["n(Kb(`items`,", "n(Kb(`项`,", 1],
    ["t===1?`non-empty`:", "t===1?`非空`:", 1],
  ],
};

/** Languages whose words are not separated by spaces: the search index takes every substring. */
const UNSPACED = new Set(["zh-CN"]);

const TRANSLATE_DEFAULT = "useTranslate:()=>({translate:(e,t)=>(typeof t==`string`?t:t?.defaultValue)||e||``})";
const TRANSLATE_WITH_LABELS =
  "useTranslate:()=>({translate:(e,t)=>{let l=globalThis.__redocLabels?.[e],d=typeof t==`string`?t:t?.defaultValue;" +
  "if(l===void 0)return d||e||``;return typeof t==`object`&&t?l.replace(/\\$\\{(\\w+)\\}/g,(m,k)=>t[k]??m):l}})";
const SEARCH_FORWARD = "tokenize:`forward`,context:{depth:2,resolution:9}";
const SEARCH_FULL = "tokenize:`full`,context:{depth:2,resolution:9}";

function replaceExactly(html: string, from: string, to: string, times: number, what: string): string {
  const found = html.split(from).length - 1;
  if (found !== times) {
    throw new Error(
      `Redoc interface patch "${what}": expected ${times} × ${from} in the inlined bundle, found ${found}`,
    );
  }
  return html.split(from).join(to);
}

/** Where the bundle uses a label's key with its English default (or the label's key is not what Redoc uses). */
function expectLabelInBundle(html: string, label: Label): void {
  const uses = [
    `(\`${label.key}\`,\`${label.en}\`)`,
    `label:\`${label.en}\`,labelTranslationKey:\`${label.key}\``,
    `title:\`${label.en}\`,titleTranslationKey:\`${label.key}\``,
  ];
  if (!uses.some((use) => html.includes(use))) {
    throw new Error(`Redoc interface label ${label.key} ("${label.en}") is not used by the inlined bundle`);
  }
}

/** The built page with Redoc's interface in the locale's language and, for unspaced scripts, substring search. */
export function localiseRedoc(html: string, locale: Locale): string {
  const labels = LABELS[locale.tag] ?? [];
  const literals = LITERALS[locale.tag] ?? [];
  let result = html;
  if (labels.length > 0) {
    for (const label of labels) expectLabelInBundle(result, label);
    result = replaceExactly(result, TRANSLATE_DEFAULT, TRANSLATE_WITH_LABELS, 1, "translate hook");
  }
  for (const [from, to, times] of literals) result = replaceExactly(result, from, to, times, from);
  if (UNSPACED.has(locale.tag)) result = replaceExactly(result, SEARCH_FORWARD, SEARCH_FULL, 1, "search tokenizer");
  return result;
}

/** The script the page template puts before Redoc: the locale's labels, by key. */
export function labelsScript(locale: Locale): string {
  const labels = LABELS[locale.tag] ?? [];
  if (labels.length === 0) return "";
  const byKey = Object.fromEntries(labels.map((l) => [l.key, l.text]));
  return `<script>globalThis.__redocLabels = ${JSON.stringify(byKey).replace(/</g, "\\u003c")};</script>`;
}
