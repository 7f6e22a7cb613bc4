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
    postmanEnvironment: string;
    sdkTarball: string;
    businessErrors: string;
    businessErrorsNone: string;
    code: string;
    message: string;
    meaning: string;
    operations: string;
    requiredScope: string;
    /** The copy button of the guide's code blocks, and what it says once it copied. */
    copy: string;
    copied: string;
    /** The label of the request-payload sample in Redoc's samples panel. */
    payload: string;
    /** The try-it console (docs/console/) and the link to it from every operation. */
    console: ConsoleWords;
    /** The comments of the two-step first call (guide and start page). */
    firstCall: { start: string; token: string; call: string };
    /** The start page's column in this language (docs/page.ts). */
    start: {
      open: string;
      what: string;
      stepsTitle: string;
      steps: [string, string, string];
      credentials: string;
      script: string;
    };
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

export interface ConsoleWords {
  tryIt: string;
  title: string;
  intro: string;
  reference: string;
  operation: string;
  server: string;
  chooseServer: string;
  thisSandbox: string;
  localSandbox: string;
  qaGateway: string;
  otherServer: string;
  notServed: string;
  crossOrigin: string;
  credentials: string;
  demoApp: string;
  keptLocally: string;
  reset: string;
  body: string;
  tokenPlaceholder: string;
  send: string;
  sending: string;
  step: string;
  tokenCall: string;
  operationCall: string;
  request: string;
  status: string;
  headers: string;
  responseBody: string;
  networkError: string;
  invalidJson: string;
  noToken: string;
  scope: string;
  empty: string;
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
      postmanEnvironment: "Postman environment (local sandbox)",
      sdkTarball: "TypeScript SDK (npm tarball)",
      businessErrors: "Business errors",
      businessErrorsNone:
        "This operation has no business errors: it answers code 0 or one of the protocol errors below.",
      code: "Code / key",
      message: "Message (`msg`, sent in English)",
      meaning: "Meaning",
      operations: "Operations",
      requiredScope: "Required scope",
      copy: "Copy",
      copied: "Copied",
      payload: "Payload",
      firstCall: {
        start: "in the kit's folder (after npm ci): builds these docs, serves the sandbox on http://127.0.0.1:4010",
        token: "a token from the demo application, with the scope goods detail needs",
        call: "goods detail with that token and tenant-id: the answer is {code: 0, data, msg}",
      },
      start: {
        open: "Open the English docs",
        what: "The partner API of the Rizzit Open Platform (/open-api/**), and everything to build against it: the integration guide and API reference, a local sandbox that behaves like the platform, a typed TypeScript SDK, code samples in four languages and a contract test runner.",
        stepsTitle: "Your first call in three steps",
        steps: [
          "Start the sandbox: `npm ci`, then `npm start` in the kit (Node.js 20.12+). It serves the API and these docs on http://127.0.0.1:4010.",
          "Open http://127.0.0.1:4010/docs/, pick an operation and press “Try it in the sandbox”: the console fills in the demo credentials below.",
          "Or from a terminal: obtain a token with the demo application, then call goods detail with it:",
        ],
        credentials: "Demo applications of the sandbox (tenant-id 1)",
        script: "Copy",
      },
      console: {
        tryIt: "Try it in the sandbox",
        title: "Try it: API console",
        intro:
          "Sends the operation to a server you choose and shows every call: first the token call (HTTP Basic with the app's credentials, tenant-id), then the operation with that token.",
        reference: "API reference",
        operation: "Operation",
        server: "Server",
        chooseServer: "Choose a server…",
        thisSandbox: "This sandbox",
        localSandbox: "Local sandbox",
        qaGateway: "QA gateway",
        otherServer: "Other…",
        notServed:
          "This page was not served by the sandbox, so nothing is sent until you choose a server. Start the sandbox with npm start and open http://127.0.0.1:4010/docs/ to use it directly.",
        crossOrigin:
          "A server other than the one that served this page must allow cross-origin requests (CORS), or the browser blocks the answer.",
        credentials: "Credentials",
        demoApp: "Demo application",
        keptLocally:
          "Kept in this browser only (localStorage) and sent only to the server you choose. The sandbox's demo credentials are filled in.",
        reset: "Reset to the demo credentials",
        body: "Request body",
        tokenPlaceholder: "{{access_token}} is replaced by the token of step 1.",
        send: "Send",
        sending: "Sending…",
        step: "Step {n}",
        tokenCall: "Obtain an access token",
        operationCall: "Call the operation",
        request: "Request",
        status: "Status",
        headers: "Response headers",
        responseBody: "Response body",
        networkError: "The request did not reach the server (offline, wrong address, or blocked by CORS):",
        invalidJson: "The request body is not valid JSON:",
        noToken: "The token call did not answer an access_token: the operation was not called.",
        scope: "scope",
        empty: "Press Send: each call and its answer appear here.",
      },
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
      postmanEnvironment: "Postman 环境(本地沙箱)",
      sdkTarball: "TypeScript SDK(npm 包)",
      businessErrors: "业务错误",
      businessErrorsNone: "该接口没有业务错误:只会返回 code 0 或下方的协议错误。",
      code: "错误码 / 标识",
      message: "消息(`msg`,以英文返回)",
      meaning: "含义",
      operations: "接口",
      requiredScope: "所需权限范围(scope)",
      copy: "复制",
      copied: "已复制",
      payload: "请求体",
      firstCall: {
        start: "在工具包目录中(先执行 npm ci):构建本文档,并在 http://127.0.0.1:4010 启动沙箱",
        token: "用演示应用获取访问令牌,scope 为商品详情接口所需的 goods:detail:read",
        call: "携带该令牌和 tenant-id 查询商品详情:返回 {code: 0, data, msg}",
      },
      start: {
        open: "打开中文文档",
        what: "Rizzit 开放平台面向合作方的接口(/open-api/**),以及对接所需的一切:对接指南与接口参考、行为与平台一致的本地沙箱、带类型的 TypeScript SDK、四种语言的代码示例和契约测试工具。",
        stepsTitle: "三步完成第一次调用",
        steps: [
          "启动沙箱:在工具包中执行 `npm ci`,然后执行 `npm start`(需要 Node.js 20.12 及以上)。它在 http://127.0.0.1:4010 上提供接口和本文档。",
          "打开 http://127.0.0.1:4010/docs/,选择一个接口并点击“在沙箱中试用”:控制台会自动填入下方的演示凭证。",
          "或者在终端中:先用演示应用获取令牌,再携带令牌调用商品详情接口:",
        ],
        credentials: "沙箱的演示应用(tenant-id 为 1)",
        script: "复制",
      },
      console: {
        tryIt: "在沙箱中试用",
        title: "在线调试:API 控制台",
        intro:
          "把接口请求发送到你选择的服务器,并展示每一次调用:先调用令牌接口(应用凭证 HTTP Basic 认证,携带 tenant-id),再携带该令牌调用业务接口。",
        reference: "接口参考",
        operation: "接口",
        server: "服务器",
        chooseServer: "请选择服务器…",
        thisSandbox: "当前沙箱",
        localSandbox: "本地沙箱",
        qaGateway: "测试网关",
        otherServer: "其他…",
        notServed:
          "本页面不是由沙箱提供的,因此在你选择服务器之前不会发送任何请求。用 npm start 启动沙箱并打开 http://127.0.0.1:4010/docs/ 即可直接使用。",
        crossOrigin: "若服务器不是提供本页面的那台,它必须允许跨域请求(CORS),否则浏览器会拦截响应。",
        credentials: "凭证",
        demoApp: "演示应用",
        keptLocally: "仅保存在本浏览器中(localStorage),只发送给你选择的服务器。已预先填入沙箱的演示凭证。",
        reset: "恢复为演示凭证",
        body: "请求体",
        tokenPlaceholder: "{{access_token}} 会被替换为第 1 步获取的令牌。",
        send: "发送",
        sending: "发送中…",
        step: "第 {n} 步",
        tokenCall: "获取访问令牌",
        operationCall: "调用接口",
        request: "请求",
        status: "状态",
        headers: "响应头",
        responseBody: "响应体",
        networkError: "请求未能到达服务器(离线、地址错误或被 CORS 拦截):",
        invalidJson: "请求体不是合法的 JSON:",
        noToken: "令牌接口没有返回 access_token,因此没有调用业务接口。",
        scope: "scope",
        empty: "点击“发送”后,这里会显示每一次调用及其响应。",
      },
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
