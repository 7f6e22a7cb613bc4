// The admin CLI's command registry: what platform operations staff do in the admin console, one command each.
// `npm run admin -- <command> [args]`. The app commands live in app-commands.ts; the domain (issue 5) adds its own
// (members, redeem codes) through registerDomainAdminCommands(registry). Every command parses its arguments with
// the one strict parser in args.ts (parseCommandArgs).
import type { Sql } from "../sql.ts";

export interface AdminContext {
  /** The sandbox store (the same one the server uses: SANDBOX_DB, SQLite or PostgreSQL). */
  sql: Sql;
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
  add(
    name: string,
    command: { summary: string; usage: string; run: (sql: Sql, args: string[]) => Promise<string> },
  ): void {
    this.register({
      name,
      summary: command.summary,
      usage: command.usage,
      run: async (args, ctx) => ctx.out(await command.run(ctx.sql, args)),
    });
  }

  get(name: string): AdminCommand | undefined {
    return this.commands.get(name);
  }

  list(): AdminCommand[] {
    return [...this.commands.values()];
  }
}
