import type { KeyValue } from "../request-keys.js";
import type { ScpParameters } from "../scp-parameters.js";
import type { Probe, ProbeSetting } from "./probe.js";
import { type ProbePrincipal, probePrincipalArn, probePrincipalKeys } from "./probe-principals.js";
import type { MakeRequests, Mfa, Network, ProbeAction } from "./probe-requests.js";

/**
 * The library folders whose templates the lockout guard answers for: each template is probed by a
 * family that names it, or says in library-coverage.ts why it needs no probe of its own. `rcp/`
 * joins the check as soon as the folder exists.
 */
export const PROBED_LIBRARY_FOLDERS = ["scp", "rcp"] as const;
export type LibraryFolder = (typeof PROBED_LIBRARY_FOLDERS)[number];
/** A library template by folder and name, as its file is named: `scp/require-mfa` for scp/require-mfa.json. */
export type TemplateRef = `${LibraryFolder}/${string}`;

/** What a family builds its probes from. */
export interface ProbeContext<T extends TemplateRef = TemplateRef> {
  readonly params: ScpParameters;
  readonly setting: ProbeSetting;
  /** Where people and workloads are probed: the first region orgwarden works in. */
  readonly home: string;
  readonly requests: MakeRequests;
  // Properties, not methods, so their parameter is checked strictly: a family can ask only about the
  // templates it names (a method's parameter would be bivariant and accept any).
  /** True when the template is in effect on the target after the change. */
  readonly inEffect: (template: T) => boolean;
  /** True when this change renders the template with these parameters (undefined ownPolicies: every one). */
  readonly renders: (template: T) => boolean;
}

type Resolved<V, T extends TemplateRef> = V | ((c: ProbeContext<T>) => V);

/** One probe as data: who, doing what, from where, and what the guard expects. */
export interface ProbeRow<T extends TemplateRef = never> {
  id: string;
  label: Resolved<string, T>;
  /** A principal of the probe table, or an ARN worked out from the parameters. */
  principal: ProbePrincipal | ((c: ProbeContext<T>) => string);
  actions: Resolved<readonly ProbeAction[], T>;
  /** aws:MultiFactorAuthPresent; several values make a set of requests each, in that order. */
  mfa: Mfa | readonly Mfa[];
  /**
   * Default ["inside"]: people and workloads call from inside the allowed network (being denied
   * outside it is restrict-source-ip's job); orgwarden and exempt principals from outside too.
   */
  networks?: readonly Network[];
  /** "home" (default): the first region; "every": each region orgwarden works in. */
  regions?: "home" | "every";
  /** Request keys besides the ones every request carries (after the principal's own, aws:username). */
  keys?: Resolved<Record<string, KeyValue>, T>;
  expect: Resolved<Probe["expect"], T>;
  strictness: Resolved<Probe["strictness"], T>;
  /** The probe exists only when this holds (an option it is about). */
  when?: (c: ProbeContext<T>) => boolean;
}

/**
 * A family of probes. `templates` are the library templates whose presence changes what the family
 * expects: the family is the one that probes them, and its context answers inEffect for them only.
 */
export interface ProbeFamily<T extends TemplateRef = TemplateRef> {
  name: string;
  templates: readonly T[];
  // A method, so families that name different templates share one list (PROBE_FAMILIES).
  probes(c: ProbeContext<T>): Probe[];
}

/** A family that is a table of rows; T comes from `templates` alone (NoInfer), never from what a row asks. */
export function tableFamily<const T extends TemplateRef = never>(
  name: string,
  templates: readonly T[],
  rows: ReadonlyArray<ProbeRow<NoInfer<T>>>,
): ProbeFamily<T> {
  return {
    name,
    templates,
    probes: (c) => rows.filter((row) => row.when?.(c) ?? true).map((row) => probeFromRow(row, c)),
  };
}

export function probeFromRow<T extends TemplateRef>(row: ProbeRow<T>, c: ProbeContext<T>): Probe {
  const principalArn =
    typeof row.principal === "function"
      ? row.principal(c)
      : probePrincipalArn(row.principal, c.params, c.setting);
  const principalKeys = typeof row.principal === "function" ? {} : probePrincipalKeys(row.principal);
  const keys = { ...principalKeys, ...resolve(row.keys, c) };
  const spec = {
    principalArn,
    actions: resolve(row.actions, c),
    networks: row.networks ?? (["inside"] as const),
    regions: row.regions === "every" ? c.setting.regions : [c.home],
    ...(Object.keys(keys).length > 0 ? { extra: keys } : {}),
  };
  const mfas: readonly Mfa[] = typeof row.mfa === "string" ? [row.mfa] : row.mfa;
  return {
    id: row.id,
    label: resolve(row.label, c),
    principalArn,
    requests: mfas.flatMap((mfa) => c.requests({ ...spec, mfa })),
    expect: resolve(row.expect, c),
    strictness: resolve(row.strictness, c),
  };
}

/** Expect a denial where the template is in effect, and nothing in particular without it. */
export function deniedUnder<T extends TemplateRef>(template: T): (c: ProbeContext<T>) => "DENY" | "ANY" {
  return (c) => (c.inEffect(template) ? "DENY" : "ANY");
}

function resolve<V, T extends TemplateRef>(value: Resolved<V, T>, c: ProbeContext<T>): V;
function resolve<V, T extends TemplateRef>(
  value: Resolved<V, T> | undefined,
  c: ProbeContext<T>,
): V | undefined;
function resolve<V, T extends TemplateRef>(
  value: Resolved<V, T> | undefined,
  c: ProbeContext<T>,
): V | undefined {
  return typeof value === "function" ? (value as (c: ProbeContext<T>) => V)(c) : value;
}
