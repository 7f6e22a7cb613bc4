// The try-it console's browser code (bundled by esbuild into console.html by docs/console/page.ts).
//
// It sends nothing until it knows where to: when the sandbox served the page (its /docs/environment.json says so)
// the target is the page's own origin; otherwise the partner picks a server first. Production is never offered
// as a default. For an operation that needs a token it shows two calls, the token call and then the operation, so
// the two-step flow is visible. Credentials live in this browser's localStorage only.
import type { ConsoleWords } from "../locales.ts";
import type { DocsEnvironment } from "../served-page.ts";

export interface ConsoleOperation {
  operationId: string;
  summary: string;
  tag: string;
  method: string;
  path: string;
  auth: "basic" | "bearer";
  scope: string | null;
  contentType: "application/json" | "application/x-www-form-urlencoded";
  example: Record<string, unknown>;
}

export interface ConsoleData {
  words: ConsoleWords;
  operations: ConsoleOperation[];
  tagNames: Record<string, string>;
  demoApps: DocsEnvironment["demoApps"];
  tenantId: string;
  servers: { localSandbox: string; qaGateway: string };
}

interface Credentials {
  clientId: string;
  clientSecret: string;
  tenantId: string;
}

interface CallResult {
  status: number;
  statusText: string;
  ms: number;
  headers: [string, string][];
  text: string;
  json: unknown;
}

const TOKEN_PATH = "/open-api/system/oauth2/token";
const TOKEN_FIELD = "token";
const TOKEN_PLACEHOLDER = "{{access_token}}";
const STORAGE_KEY = "rizzit-docs-console";

const data = JSON.parse(document.getElementById("console-data")?.textContent ?? "{}") as ConsoleData;
const w = data.words;

function el<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`console: #${id} is missing`);
  return found as T;
}

const operationSelect = el<HTMLSelectElement>("operation");
const serverSelect = el<HTMLSelectElement>("server");
const serverCustom = el<HTMLInputElement>("server-custom");
const serverNote = el<HTMLParagraphElement>("server-note");
const appSelect = el<HTMLSelectElement>("demo-app");
const clientIdInput = el<HTMLInputElement>("client-id");
const clientSecretInput = el<HTMLInputElement>("client-secret");
const tenantInput = el<HTMLInputElement>("tenant-id");
const bodyInput = el<HTMLTextAreaElement>("body");
const bodyNote = el<HTMLParagraphElement>("body-note");
const endpoint = el<HTMLElement>("endpoint");
const sendButton = el<HTMLButtonElement>("send");
const calls = el<HTMLElement>("calls");

let demoApps = data.demoApps;
let servedBySandbox = false;

// ---- stored state (this browser only) ----

interface Stored {
  credentials?: Credentials;
  server?: string;
}

function loadStored(): Stored {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}") as Stored;
  } catch {
    return {};
  }
}

function saveStored(patch: Stored): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...loadStored(), ...patch }));
  } catch {
    // Storage refused (private mode, file://): the console still works for this visit.
  }
}

function credentials(): Credentials {
  return {
    clientId: clientIdInput.value.trim(),
    clientSecret: clientSecretInput.value,
    tenantId: tenantInput.value.trim(),
  };
}

function fillCredentials(c: Credentials): void {
  clientIdInput.value = c.clientId;
  clientSecretInput.value = c.clientSecret;
  tenantInput.value = c.tenantId;
  appSelect.value = demoApps.some((a) => a.clientId === c.clientId && a.clientSecret === c.clientSecret)
    ? c.clientId
    : "";
}

function demoCredentials(clientId?: string): Credentials {
  const app = demoApps.find((a) => a.clientId === clientId) ?? demoApps[0];
  return { clientId: app?.clientId ?? "", clientSecret: app?.clientSecret ?? "", tenantId: data.tenantId };
}

function renderDemoApps(): void {
  appSelect.replaceChildren(
    new Option("—", ""),
    ...demoApps.map((a) => new Option(`${a.clientId} (${a.scopes.join(" ")})`, a.clientId)),
  );
}

// ---- operations ----

function currentOperation(): ConsoleOperation {
  return (
    data.operations.find((op) => op.operationId === operationSelect.value) ?? (data.operations[0] as ConsoleOperation)
  );
}

function exampleBody(op: ConsoleOperation): string {
  if (op.contentType === "application/json") return JSON.stringify(op.example, null, 2);
  return Object.entries(op.example)
    .map(([key, value]) => `${key}=${key === TOKEN_FIELD ? TOKEN_PLACEHOLDER : String(value)}`)
    .join("\n");
}

/** Whether the operation needs a token from a first call: a Bearer operation, or the revoke call (a token to revoke). */
const needsToken = (op: ConsoleOperation): boolean => op.auth === "bearer" || TOKEN_FIELD in op.example;

function showOperation(op: ConsoleOperation, fromHash = false): void {
  operationSelect.value = op.operationId;
  endpoint.textContent = `${op.method.toUpperCase()} ${op.path}${op.scope ? ` · ${w.scope} ${op.scope}` : ""}`;
  bodyInput.value = exampleBody(op);
  bodyNote.hidden = !bodyInput.value.includes(TOKEN_PLACEHOLDER);
  document.title = `${op.summary} · ${w.title}`;
  if (!fromHash) history.replaceState(null, "", `#${op.operationId}`);
  for (const link of document.querySelectorAll<HTMLAnchorElement>("a[data-keep-hash]")) {
    link.hash = link.dataset.keepHash === "operation" ? `operation/${op.operationId}` : op.operationId;
  }
}

function renderOperations(): void {
  const groups = new Map<string, HTMLOptGroupElement>();
  for (const op of data.operations) {
    let group = groups.get(op.tag);
    if (!group) {
      group = document.createElement("optgroup");
      group.label = data.tagNames[op.tag] ?? op.tag;
      groups.set(op.tag, group);
      operationSelect.append(group);
    }
    group.append(new Option(`${op.summary} — ${op.method.toUpperCase()} ${op.path}`, op.operationId));
  }
}

/** The operation the hash names: `#getGoodsDetail`, or Redoc's route `#/goods/getgoodsdetail` (lower case). */
function operationFromHash(): ConsoleOperation | undefined {
  const id = (decodeURIComponent(location.hash.replace(/^#/, "")).split("/").pop() ?? "").toLowerCase();
  return data.operations.find((op) => op.operationId.toLowerCase() === id);
}

// ---- servers ----

function serverUrl(): string {
  const chosen = serverSelect.value === "other" ? serverCustom.value.trim() : serverSelect.value;
  return chosen.replace(/\/+$/, "");
}

function refreshServer(): void {
  serverCustom.hidden = serverSelect.value !== "other";
  const url = serverUrl();
  let valid = false;
  try {
    valid = url !== "" && ["http:", "https:"].includes(new URL(url).protocol);
  } catch {
    valid = false;
  }
  sendButton.disabled = !valid;
  const crossOrigin = valid && new URL(url).origin !== location.origin;
  serverNote.textContent = !servedBySandbox && !valid ? w.notServed : crossOrigin ? w.crossOrigin : "";
  serverNote.hidden = serverNote.textContent === "";
}

function renderServers(stored: string | undefined): void {
  const options: HTMLOptionElement[] = [];
  if (servedBySandbox) options.push(new Option(`${w.thisSandbox} — ${location.origin}`, location.origin));
  else options.push(new Option(w.chooseServer, ""));
  if (data.servers.localSandbox !== location.origin) {
    options.push(new Option(`${w.localSandbox} — ${data.servers.localSandbox}`, data.servers.localSandbox));
  }
  options.push(new Option(`${w.qaGateway} — ${data.servers.qaGateway}`, data.servers.qaGateway));
  options.push(new Option(w.otherServer, "other"));
  serverSelect.replaceChildren(...options);
  // The served page's own origin wins; otherwise only a server this partner chose before on this page.
  if (!servedBySandbox && stored && options.some((o) => o.value === stored)) serverSelect.value = stored;
  refreshServer();
}

async function loadEnvironment(): Promise<void> {
  try {
    const answer = await fetch("../environment.json", { cache: "no-store" });
    const environment = (await answer.json()) as DocsEnvironment;
    if (environment.servedBy === "sandbox") {
      servedBySandbox = true;
      if (environment.demoApps.length > 0) demoApps = environment.demoApps;
      data.tenantId = environment.tenantId;
    }
  } catch {
    // Opened from a file or a host without the file: not served by the sandbox.
  }
}

// ---- calls ----

function basic(c: Credentials): string {
  const bytes = new TextEncoder().encode(`${c.clientId}:${c.clientSecret}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

function formBody(text: string, token: string | null): URLSearchParams {
  const form = new URLSearchParams();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const at = line.indexOf("=");
    const key = (at < 0 ? line : line.slice(0, at)).trim();
    const value = at < 0 ? "" : line.slice(at + 1).trim();
    form.append(key, token !== null ? value.split(TOKEN_PLACEHOLDER).join(token) : value);
  }
  return form;
}

async function send(url: string, init: RequestInit): Promise<CallResult> {
  const started = performance.now();
  const response = await fetch(url, { ...init, cache: "no-store", credentials: "omit" });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return {
    status: response.status,
    statusText: response.statusText,
    ms: Math.round(performance.now() - started),
    headers: [...response.headers.entries()],
    text,
    json,
  };
}

function node<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** What a request showed, with the secret and the token shortened (the page may be screenshotted or shared). */
function shownHeaders(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => {
      if (name.toLowerCase() !== "authorization") return `${name}: ${value}`;
      if (value.startsWith("Basic ")) return `${name}: Basic base64(${clientIdInput.value.trim()}:••••••)`;
      return `${name}: ${value.slice(0, 7 + 10)}…`;
    })
    .join("\n");
}

function callCard(
  kind: "token" | "operation",
  step: number,
  title: string,
  request: { method: string; url: string; headers: Record<string, string>; body: string },
  result: CallResult | Error,
): HTMLElement {
  const card = node("section", { class: "call", "data-call": kind });
  const heading = node("h3", {}, node("span", { class: "step" }, w.step.replace("{n}", String(step))), " ", title);
  card.append(heading);
  card.append(
    node("p", { class: "label" }, w.request),
    node(
      "pre",
      { class: "request" },
      `${request.method} ${request.url}\n${shownHeaders(request.headers)}\n\n${request.body}`,
    ),
  );
  if (result instanceof Error) {
    card.dataset.status = "error";
    card.append(node("p", { class: "error" }, `${w.networkError} ${result.message}`));
    return card;
  }
  const envelope = result.json as { code?: unknown } | null;
  const code = envelope && typeof envelope === "object" && "code" in envelope ? String(envelope.code) : "";
  card.dataset.status = String(result.status);
  card.dataset.code = code;
  const ok = result.status >= 200 && result.status < 300 && code === "0";
  heading.append(
    node("span", { class: `badge ${ok ? "ok" : "fail"}`, "data-testid": "status" }, `HTTP ${result.status}`),
    code === "" ? "" : node("span", { class: `badge ${ok ? "ok" : "fail"}`, "data-testid": "code" }, `code ${code}`),
    node("span", { class: "ms" }, `${result.ms} ms`),
  );
  card.append(
    node("p", { class: "label" }, w.headers),
    node("pre", { class: "headers" }, result.headers.map(([k, v]) => `${k}: ${v}`).join("\n")),
    node("p", { class: "label" }, w.responseBody),
    node(
      "pre",
      { class: "body", "data-testid": "body" },
      result.json === null ? result.text : JSON.stringify(result.json, null, 2),
    ),
  );
  return card;
}

async function run(): Promise<void> {
  const op = currentOperation();
  const server = serverUrl();
  const c = credentials();
  saveStored({ credentials: c, server: serverSelect.value === "other" ? server : serverSelect.value });
  calls.replaceChildren();
  sendButton.disabled = true;
  sendButton.textContent = w.sending;
  try {
    let token: string | null = null;
    let step = 1;
    if (needsToken(op)) {
      const form = new URLSearchParams({ grant_type: "client_credentials" });
      if (op.scope) form.set("scope", op.scope);
      const headers = {
        Authorization: basic(c),
        "tenant-id": c.tenantId,
        "Content-Type": "application/x-www-form-urlencoded",
      };
      const request = { method: "POST", url: `${server}${TOKEN_PATH}`, headers, body: form.toString() };
      const result = await send(request.url, { method: "POST", headers, body: form }).catch((e: Error) => e);
      calls.append(callCard("token", step, w.tokenCall, request, result));
      step += 1;
      const issued = result instanceof Error ? null : (result.json as { data?: { access_token?: unknown } } | null);
      token = typeof issued?.data?.access_token === "string" ? issued.data.access_token : null;
      if (token === null) {
        calls.append(node("p", { class: "error" }, w.noToken));
        return;
      }
    }
    let body: string | URLSearchParams;
    const headers: Record<string, string> = { "tenant-id": c.tenantId, "Content-Type": op.contentType };
    if (op.contentType === "application/json") {
      try {
        body = JSON.stringify(JSON.parse(bodyInput.value));
      } catch (error) {
        calls.append(node("p", { class: "error" }, `${w.invalidJson} ${(error as Error).message}`));
        return;
      }
    } else {
      body = formBody(bodyInput.value, token);
    }
    headers.Authorization = op.auth === "bearer" ? `Bearer ${token}` : basic(c);
    const request = { method: op.method.toUpperCase(), url: `${server}${op.path}`, headers, body: body.toString() };
    const result = await send(request.url, { method: request.method, headers, body }).catch((e: Error) => e);
    calls.append(callCard("operation", step, `${w.operationCall}: ${op.summary}`, request, result));
  } finally {
    sendButton.textContent = w.send;
    refreshServer();
    calls.scrollIntoView({ block: "nearest" });
  }
}

// ---- start ----

async function start(): Promise<void> {
  renderOperations();
  showOperation(operationFromHash() ?? (data.operations[0] as ConsoleOperation), true);
  await loadEnvironment();
  const stored = loadStored();
  renderDemoApps();
  fillCredentials(stored.credentials ?? demoCredentials());
  renderServers(stored.server);

  operationSelect.addEventListener("change", () => showOperation(currentOperation()));
  window.addEventListener("hashchange", () => {
    const op = operationFromHash();
    if (op) showOperation(op, true);
  });
  serverSelect.addEventListener("change", refreshServer);
  serverCustom.addEventListener("input", refreshServer);
  appSelect.addEventListener("change", () => {
    if (appSelect.value) fillCredentials(demoCredentials(appSelect.value));
    saveStored({ credentials: credentials() });
  });
  for (const input of [clientIdInput, clientSecretInput, tenantInput]) {
    input.addEventListener("input", () => {
      appSelect.value = "";
      saveStored({ credentials: credentials() });
    });
  }
  el<HTMLButtonElement>("reset-credentials").addEventListener("click", () => {
    fillCredentials(demoCredentials());
    saveStored({ credentials: credentials() });
  });
  el<HTMLFormElement>("console-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!sendButton.disabled) void run();
  });
  document.body.dataset.ready = servedBySandbox ? "sandbox" : "static";
}

void start();
