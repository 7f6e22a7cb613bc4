// The code samples' comments in the page's language. The code itself is the same in every language (the samples are
// generated once, by code-samples.ts, and run by test/docs/code-samples.test.ts); only the text after a comment
// marker changes. Each entry replaces an English fragment wherever it appears in a comment, longest first, so a
// changed line around a known fragment (say, a different install command) keeps the rest translated.
// test/docs/translation.test.ts fails when a comment of a translated page holds no translation.

/** English fragment -> translation, by locale tag. */
export const SAMPLE_COMMENTS: Record<string, [string, string][]> = {
  "zh-CN": [
    ['ACCESS_TOKEN: a token from "Obtain an access token"', "ACCESS_TOKEN:通过“获取访问令牌”接口得到的令牌"],
    ["OPENAPI_TENANT_ID: your tenant-id", "OPENAPI_TENANT_ID:你的 tenant-id"],
    [
      "OPENAPI_CLIENT_ID / OPENAPI_CLIENT_SECRET / OPENAPI_TENANT_ID: the credentials issued to you",
      "OPENAPI_CLIENT_ID / OPENAPI_CLIENT_SECRET / OPENAPI_TENANT_ID:签发给你的凭证",
    ],
    ["ACCESS_TOKEN: the token to revoke", "ACCESS_TOKEN:要撤销的令牌"],
    ["HTTP Basic: base64(clientId:clientSecret)", "HTTP Basic 认证:base64(clientId:clientSecret)"],
    ["cache it and reuse it within expires_in", "缓存令牌,在 expires_in 内复用"],
    ["1) a token to revoke", "1) 获取一个要撤销的令牌"],
    ["2) revoke it", "2) 撤销该令牌"],
    [
      "{code, data, msg}: code 0 is success, another code is an error (see msg)",
      "{code, data, msg}:code 为 0 表示成功,其他值表示错误(见 msg)",
    ],
    ["{code, data, msg}: code 0 is success", "{code, data, msg}:code 为 0 表示成功"],
    ["1) obtain an access token with the scope this operation needs", "1) 获取带有该接口所需 scope 的访问令牌"],
    ["1) obtain an access token", "1) 获取访问令牌"],
    ["2) call the operation", "2) 调用接口"],
    ["call the operation", "调用接口"],
    ["Run with JDK 11 or newer:", "使用 JDK 11 或更高版本运行:"],
    [
      "In a real project parse data.access_token with a JSON library, and cache it within expires_in.",
      "实际项目中请用 JSON 库解析 data.access_token,并在 expires_in 内缓存复用。",
    ],
    [
      "(the SDK as these docs serve it; Node.js 20+, run as an ES module, e.g. with tsx)",
      "(本文档站点提供的 SDK 安装包;Node.js 20 及以上,以 ES 模块运行,例如用 tsx)",
    ],
    ["(Node.js 20+, run as an ES module, e.g. with tsx)", "(Node.js 20 及以上,以 ES 模块运行,例如用 tsx)"],
    [
      "The kit's client caches the token, refreshes it, retries 401/429 and unwraps {code, data, msg} into data.",
      "工具包的客户端会缓存并刷新令牌、重试 401/429,并把 {code, data, msg} 解包为 data。",
    ],
    [
      "The client fetches, caches and refreshes tokens itself (pass `scope` to createOpenApiClient to narrow them).",
      "客户端会自行获取、缓存和刷新令牌(向 createOpenApiClient 传入 `scope` 可缩小令牌权限范围)。",
    ],
    [
      "To call the token endpoint directly, use the raw openapi-fetch client: it adds HTTP Basic and tenant-id.",
      "如需直接调用令牌接口,请使用底层的 openapi-fetch 客户端:它会自动添加 HTTP Basic 认证和 tenant-id。",
    ],
    [
      "client.revokeToken() revokes the token the client cached. To revoke any token directly, use the raw client.",
      "client.revokeToken() 撤销客户端缓存的令牌。如需直接撤销任意令牌,请使用底层客户端。",
    ],
    [
      'A business error (HTTP 200, non-zero code) is an OpenApiError of kind "business": switch on error.code.',
      '业务错误(HTTP 200,code 非 0)会抛出 kind 为 "business" 的 OpenApiError:请根据 error.code 分支处理。',
    ],
    ["{code, data, msg}", "{code, data, msg} 统一响应结构"],
  ],
};

/** A comment's text on a line: after `# ` (shell, Python) or `// ` (TypeScript, Java) at the start or after a space. */
const COMMENT = /(^|\s)(#|\/\/) (.*)$/;

/** Splits a line into its code and its comment text (null when the line has no comment). */
export function commentOf(line: string): { code: string; comment: string } | null {
  const match = COMMENT.exec(line);
  if (!match) return null;
  const at = match.index + (match[1] ?? "").length + (match[2] ?? "").length + 1;
  return { code: line.slice(0, at), comment: line.slice(at) };
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The sample with its comments in the locale's language (English and unknown locales: unchanged). */
export function localiseSampleComments(source: string, tag: string): string {
  const pairs = SAMPLE_COMMENTS[tag] ?? [];
  if (pairs.length === 0) return source;
  const byEnglish = new Map(pairs);
  // One alternation, longest fragment first: each place is replaced once, and a translation is never scanned again.
  const fragments = new RegExp(
    [...byEnglish.keys()]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join("|"),
    "g",
  );
  return source
    .split("\n")
    .map((line) => {
      const parts = commentOf(line);
      return parts ? `${parts.code}${parts.comment.replace(fragments, (en) => byEnglish.get(en) ?? en)}` : line;
    })
    .join("\n");
}

/** The sample without its comment texts: what must be the same in every language. */
export function codeOnly(source: string): string {
  return source
    .split("\n")
    .map((line) => commentOf(line)?.code ?? line)
    .join("\n");
}
