// The admin CLI's command registry: what platform operations staff do in the admin console, one command each.
// `npm run admin -- <command> [args]`. The app commands live in app-commands.ts; the domain (issue 5) adds its own
// (members, redeem codes) through registerDomainAdminCommands(registry).
import type { Db } from "../store.ts";

export interface AdminContext {
  /** The sandbox store (the same file the server uses: SANDBOX_DB). */
  db: Db;
  /** Prints one line for the operator. */
  out: (line: string) => void;
  now: () => Date;
}

export interface AdminCommand {
  /** The command word, kebab-case: `create-app`. */
  name: string;
  /** Arguments, for help: `<clientId> --tenant <id> --scopes <list>`. */
  usage: string;
  /** One sentence for the help list. */
  summary: string;
  /** Throws an Error whose message says what was wrong and how to fix it; the CLI prints it and exits 1. */
  run: (args: string[], ctx: AdminContext) => void | Promise<void>;
}

export class AdminRegistry {
  private readonly commands = new Map<string, AdminCommand>();

  register(command: AdminCommand): void {
    if (this.commands.has(command.name)) throw new Error(`admin command "${command.name}" is registered twice`);
    this.commands.set(command.name, command);
  }

  /**
   * Registers a command written as a plain function of the store that returns the text to print (the shape the
   * domain's commands use).
   */
  add(name: string, command: { summary: string; usage: string; run: (db: Db, args: string[]) => string }): void {
    this.register({
      name,
      summary: command.summary,
      usage: command.usage,
      run: (args, ctx) => ctx.out(command.run(ctx.db, args)),
    });
  }

  get(name: string): AdminCommand | undefined {
    return this.commands.get(name);
  }

  list(): AdminCommand[] {
    return [...this.commands.values()];
  }
}

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string>;
}

/** `a b --tenant 1 --scopes=x,y --json` -> positional [a, b], options {tenant: 1, scopes: x,y, json: ""}. */
export function parseArgs(args: string[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    if (eq > 0) {
      options.set(arg.slice(2, eq), arg.slice(eq + 1));
    } else if (i + 1 < args.length && !(args[i + 1] as string).startsWith("--")) {
      options.set(arg.slice(2), args[++i] as string);
    } else {
      options.set(arg.slice(2), "");
    }
  }
  return { positional, options };
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
