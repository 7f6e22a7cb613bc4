// What every layer reports: one outcome per (check, operation, case). The summary, the failure list and the JUnit
// file are all derived from this one list.

export type Layer = "dredd" | "property" | "workflow";

export interface Outcome {
  layer: Layer;
  check: string;
  /** operationId, or the workflowId for Arazzo workflows. */
  operation: string;
  ok: boolean;
  /** Set when the check could not run here, with why and what would make it run (ok is then true). */
  skipped?: string;
  /** What was wrong (failures only). */
  message?: string;
  /** The spec rule that was broken: a JSON pointer into generated/openapi.json or a named rule of the contract. */
  rule?: string;
  /** A shell snippet that reproduces the exchange. */
  curl?: string;
}

export interface Tally {
  check: string;
  operation: string;
  passed: number;
  failed: number;
  skipped: number;
  /** The first reason given for a skip. */
  skipReason?: string;
}

export class Results {
  readonly outcomes: Outcome[] = [];
  private readonly listeners: ((outcome: Outcome) => void)[] = [];

  onOutcome(listener: (outcome: Outcome) => void): void {
    this.listeners.push(listener);
  }

  add(outcome: Outcome): void {
    this.outcomes.push(outcome);
    for (const listener of this.listeners) listener(outcome);
  }

  get failed(): Outcome[] {
    return this.outcomes.filter((o) => !o.ok);
  }

  /** Checks that failed at least once, e.g. for asserting which check caught a fault. */
  failedChecks(): Set<string> {
    return new Set(this.failed.map((o) => o.check));
  }

  tallies(): Tally[] {
    const byKey = new Map<string, Tally>();
    for (const o of this.outcomes) {
      const key = `${o.check}\u0000${o.operation}`;
      let t = byKey.get(key);
      if (!t) {
        t = { check: o.check, operation: o.operation, passed: 0, failed: 0, skipped: 0 };
        byKey.set(key, t);
      }
      if (o.skipped !== undefined) {
        t.skipped++;
        t.skipReason ??= o.skipped;
      } else if (o.ok) t.passed++;
      else t.failed++;
    }
    return [...byKey.values()];
  }
}
