// The languages of the docs site and the few words the build itself writes (table headings, link labels).
// Everything else a reader sees comes from the spec (English), the overlay (translations) or docs/guide/<lang>/.

export interface Locale {
  /** BCP 47 tag: folder name under docs/dist/ and docs/guide/, the page's lang attribute. */
  tag: string;
  /** The language's own name, as the language switch shows it. */
  name: string;
  /** The overlay that translates the spec, or null for English (the spec's own language). */
  overlay: string | null;
  words: {
    pageTitle: string;
    otherLanguages: string;
    downloads: string;
    specJson: string;
    specYaml: string;
    postman: string;
    businessErrors: string;
    businessErrorsNone: string;
    code: string;
    message: string;
    meaning: string;
    operations: string;
    requiredScope: string;
    sequence: {
      partner: string;
      gateway: string;
      system: string;
      business: string;
      tokenRequest: string;
      forwardToken: string;
      tokenResponse: string;
      businessRequest: string;
      validate: string;
      businessResponse: string;
    };
  };
}

export const locales: Locale[] = [
  {
    tag: "en",
    name: "English",
    overlay: null,
    words: {
      pageTitle: "Rizzit Open Platform API: integration guide and reference",
      otherLanguages: "Language",
      downloads: "Downloads",
      specJson: "OpenAPI (JSON)",
      specYaml: "OpenAPI (YAML)",
      postman: "Postman collection",
      businessErrors: "Business errors",
      businessErrorsNone:
        "This operation has no business errors: it answers code 0 or one of the protocol errors below.",
      code: "Code / key",
      message: "Message (`msg`, sent in English)",
      meaning: "Meaning",
      operations: "Operations",
      requiredScope: "Required scope",
      sequence: {
        partner: "Partner app",
        gateway: "API gateway",
        system: "System service",
        business: "Business service",
        tokenRequest: "POST /open-api/system/oauth2/token · Basic(clientId:clientSecret)",
        forwardToken: "forward the token request",
        tokenResponse: "access_token (userType=OPEN_API, expires_in)",
        businessRequest: "POST /open-api/goods/detail · Bearer access_token + tenant-id",
        validate: "validate token + scope, then forward",
        businessResponse: "business data (envelope {code, data, msg})",
      },
    },
  },
  {
    tag: "zh-CN",
    name: "中文",
    overlay: "openapi/overlays/zh-CN.overlay.yaml",
    words: {
      pageTitle: "Rizzit 开放平台 API:对接指南与接口参考",
      otherLanguages: "语言",
      downloads: "下载",
      specJson: "OpenAPI 描述(JSON)",
      specYaml: "OpenAPI 描述(YAML)",
      postman: "Postman 集合",
      businessErrors: "业务错误",
      businessErrorsNone: "该接口没有业务错误:只会返回 code 0 或下方的协议错误。",
      code: "错误码 / 标识",
      message: "消息(`msg`,以英文返回)",
      meaning: "含义",
      operations: "接口",
      requiredScope: "所需权限范围(scope)",
      sequence: {
        partner: "合作方应用",
        gateway: "API 网关",
        system: "系统服务",
        business: "业务服务",
        tokenRequest: "POST /open-api/system/oauth2/token · Basic(clientId:clientSecret)",
        forwardToken: "转发令牌请求",
        tokenResponse: "access_token(userType=OPEN_API,expires_in)",
        businessRequest: "POST /open-api/goods/detail · Bearer access_token + tenant-id",
        validate: "校验令牌与 scope,然后转发",
        businessResponse: "业务数据(统一结构 {code, data, msg})",
      },
    },
  },
];
