// The one argument parser of every admin command: node:util parseArgs in strict mode, so a misspelled option
// (`--nmae`), a missing value or a stray argument is an error naming it and the command's usage, never ignored.
import { parseArgs } from "node:util";

export interface ArgSpec {
  /** Option names and kinds; `multiple` keeps every value of a repeated option (`--template a --template b`). */
  options?: Record<string, { type: "string" | "boolean"; multiple?: boolean }>;
  /** How many positional arguments the command takes at most. */
  positionals?: number;
}

export interface ParsedArgs {
  positional: string[];
  /** Last value of a string option; "" for a boolean option that is present. */
  options: Map<string, string>;
  /** Every value of an option, in order. */
  all: Map<string, string[]>;
}

export function parseCommandArgs(args: string[], spec: ArgSpec, usage: string): ParsedArgs {
  const options = spec.options ?? {};
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new Error(`${describeParseError(error as Error & { code?: string }, options)}: ${usage}`);
  }
  if (parsed.positionals.length > (spec.positionals ?? 0)) {
    const extra = parsed.positionals[spec.positionals ?? 0];
    throw new Error(`unexpected argument "${extra}": ${usage}`);
  }
  const result: ParsedArgs = { positional: parsed.positionals, options: new Map(), all: new Map() };
  for (const [name, value] of Object.entries(parsed.values)) {
    const values = (Array.isArray(value) ? value : [value]).map((v) => (typeof v === "string" ? v : ""));
    result.all.set(name, values);
    result.options.set(name, values.at(-1) ?? "");
  }
  return result;
}

function describeParseError(error: Error & { code?: string }, options: NonNullable<ArgSpec["options"]>): string {
  const option = /'(--?[^' ]+)/.exec(error.message)?.[1] ?? "";
  const allowed = Object.keys(options).map((name) => `--${name}`);
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${option}; allowed: ${allowed.join(" ") || "(none)"}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return /ambiguous/.test(error.message)
        ? `${option} needs a value (write a value starting with "-" as ${option}=-1)`
        : `${option} needs a value`;
    default:
      return error.message;
  }
}

/** The option's value, or an error naming the option and the command's usage. */
export function requireOption(parsed: ParsedArgs, name: string, usage: string): string {
  const value = parsed.options.get(name);
  if (value === undefined || value === "") throw new Error(`--${name} is required: ${usage}`);
  return value;
}

/** The n-th positional argument, or an error naming it and the command's usage. */
export function requirePositional(parsed: ParsedArgs, index: number, what: string, usage: string): string {
  const value = parsed.positional[index];
  if (value === undefined || value === "") throw new Error(`${what} is missing: ${usage}`);
  return value;
}

/** `--tenant` of the commands that create tenant data: a positive integer, as the tenant-id header. */
export function tenantOption(parsed: ParsedArgs, usage: string): string {
  const tenant = requireOption(parsed, "tenant", usage);
  if (!/^[1-9][0-9]{0,18}$/.test(tenant)) throw new Error(`--tenant must be a positive integer, got "${tenant}"`);
  return tenant;
}
