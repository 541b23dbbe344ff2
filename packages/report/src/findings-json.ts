import type { AccountFindings } from "./evaluate-account.js";
import { errorFromWire, errorToWire, type WireError } from "./workers/wire.js";

interface WireFindings extends Omit<AccountFindings, "configError"> {
  configError?: WireError;
}

/**
 * An account's findings as JSON text: how a worker thread hands them over (posting one string costs
 * a fraction of cloning the objects: about 45 µs to write it against 160–290 µs to post the objects,
 * at 2.9 KB an account), and how they wait on disk while the walk goes on (build-rows.ts).
 */
export class FindingsJson {
  constructor(readonly text: string) {}
}

/**
 * The keys, at any depth of the findings, of what JSON does not keep as it is (a Date, Map, Set,
 * bigint or function): `evaluatedAt` alone, the Date findingsFromJson revives. Findings with
 * another would lose it on the way; findings-json.test.ts then fails to typecheck.
 */
export type FindingsKeysNotPlainJson = NotPlainJsonKeysOf<WireFindings>;
type NotPlainJson =
  | Date
  | ReadonlyMap<unknown, unknown>
  | ReadonlySet<unknown>
  | bigint
  | ((...args: never[]) => unknown);
type NotPlainJsonKeysOf<T> = T extends readonly (infer U)[]
  ? NotPlainJsonKeysOf<U>
  : T extends object
    ? {
        [K in keyof T]-?: NonNullable<T[K]> extends NotPlainJson ? K : NotPlainJsonKeysOf<NonNullable<T[K]>>;
      }[keyof T]
    : never;

export function findingsToJson(f: AccountFindings): string {
  const { configError, ...rest } = f;
  const wire: WireFindings = { ...rest, ...(configError ? { configError: errorToWire(configError) } : {}) };
  return JSON.stringify(wire);
}

export function findingsFromJson(text: string): AccountFindings {
  const { configError, ...rest } = JSON.parse(text, reviveDates) as WireFindings;
  return { ...rest, ...(configError ? { configError: errorFromWire(configError) } : {}) };
}

function reviveDates(key: string, value: unknown): unknown {
  return key === "evaluatedAt" && typeof value === "string" ? new Date(value) : value;
}
