import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import {
  ancestorIds,
  findTarget,
  type Inventory,
  OrgwardenError,
  type ScpSummary,
  type Target,
} from "@orgwarden/core";
import { judgeDeclarativePolicy } from "./declarative/judge-declarative-policy.js";
import { targetsOfPolicy } from "./effective-policies.js";
import { diffPolicies } from "./policy-diff.js";
import { type PolicyDocument, sameDocument } from "./policy-document.js";
import { type PolicyKind, policiesOf, SCP_KIND } from "./policy-kind.js";
import type { PolicyTemplate } from "./policy-library.js";
import { PolicyReader } from "./policy-reader.js";
import { defaultRcpParameters } from "./rcp-parameters.js";
import {
  parametersFromTags,
  parseManagedName,
  type RenderedPolicy,
  renderPolicy,
  type TemplateParameters,
} from "./render-policy.js";
import { formatTemplateValue } from "./render-template.js";
import { defaultScpParameters } from "./scp-parameters.js";

/**
 * in-sync: the attached document is what the library renders for the policy's own parameters.
 * drifted: it is not (edited in the console, an older library, parameters that do not match the name).
 * impostor: named orgwarden-* but not tagged managed-by=orgwarden.
 * other: not orgwarden's (FullAWSAccess, your own SCPs), shown where it is in effect on the asked target.
 * service-managed: created and managed by an AWS service (tagged ManagedBy=service-access), never
 * orgwarden's to change; shown where it is in effect on the asked target, or wherever it is named orgwarden-*.
 */
export type ScpState = "in-sync" | "drifted" | "impostor" | "other" | "service-managed";

/** The states that are findings (exit 4): the rest is orgwarden's policy as the library has it, or not orgwarden's. */
export function isScpFinding(state: ScpState): boolean {
  return state === "drifted" || state === "impostor";
}

export interface ScpStatusRow {
  targetId: string;
  targetPath: string;
  targetKind: Target["kind"];
  policyName: string;
  policyId: string;
  /** The library policy it is a variant of; undefined when the name matches none. */
  library: string | undefined;
  /** The variant hash, or "default". */
  variant: string;
  /** The parameters the variant was rendered with, one line (from the policy's tags). */
  parameters: string;
  state: ScpState;
  detail: string;
  /**
   * True when the policy is attached above the asked target (`underTargetId`) and in effect on it by
   * inheritance: SCPs apply where they are attached and everywhere below.
   */
  inherited: boolean;
}

export interface ScpStatusInput {
  inventory: Inventory;
  organizations: OrganizationsClient;
  /** SCPs and RCPs: the library the policies are judged against (management kinds have none). */
  library: ReadonlyMap<string, PolicyTemplate>;
  /** Only targets at or below this root, OU or account. */
  underTargetId?: string;
  partition?: string;
  /** SCPs (the default), RCPs or a management kind; the library must be of the same kind. */
  kind?: PolicyKind;
}

/**
 * Every root, OU and account with an orgwarden-named SCP attached: which policy and variant, and
 * whether the attached document is what the library renders for the parameters recorded on the
 * policy (drift), or the policy lacks the managed tag (impostor). With `underTargetId`, also every
 * SCP on the target's path from the root down (inherited ones and the target's own, orgwarden's or
 * not), so the rows say everything in effect there. Reads each policy once.
 */
export async function scpStatus(input: ScpStatusInput): Promise<ScpStatusRow[]> {
  const { inventory } = input;
  const reader = new PolicyReader(input.organizations);
  const under = input.underTargetId;
  const above = new Set(under === undefined ? [] : ancestorIds(inventory, under));
  const onPath = (targetId: string) => targetId === under || above.has(targetId);
  const inScope = (targetId: string) =>
    under === undefined || onPath(targetId) || ancestorIds(inventory, targetId).includes(under);
  const rows: ScpStatusRow[] = [];
  const kind = input.kind ?? SCP_KIND;
  const judging = {
    ...input,
    partition: input.partition ?? inventory.partition,
    organizationId: inventory.organizationId,
    kind,
  };
  const policies = [...policiesOf(inventory, kind).policies.values()].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  for (const policy of policies) {
    const orgwardenNamed = parseManagedName(policy.name) !== undefined;
    // Below the target (or with no target) only orgwarden's policies are of interest; on the path, all.
    const targets = targetsOfPolicy(inventory, policy.id, kind).filter((t) =>
      orgwardenNamed ? inScope(t) : onPath(t),
    );
    if (targets.length === 0) continue;
    const judged = orgwardenNamed
      ? await judgePolicy(policy, reader, judging)
      : await describeOtherPolicy(policy, reader, kind);
    for (const targetId of targets) {
      const target = findTarget(inventory, targetId);
      rows.push({
        targetId,
        targetPath: target?.path ?? targetId,
        targetKind: target?.kind ?? "ou",
        policyName: policy.name,
        policyId: policy.id,
        ...judged,
        inherited: above.has(targetId),
      });
    }
  }
  // From the root down, so inherited rows come before the target's own and those below it.
  const depth = (id: string) => ancestorIds(inventory, id).length;
  return rows.sort(
    (a, b) =>
      (onPath(a.targetId) && onPath(b.targetId) ? depth(a.targetId) - depth(b.targetId) : 0) ||
      a.targetPath.localeCompare(b.targetPath) ||
      a.policyName.localeCompare(b.policyName),
  );
}

/** A policy that is not orgwarden's, on the asked target's path: what it is, never judged against the library. */
async function describeOtherPolicy(
  policy: ScpSummary,
  reader: PolicyReader,
  kind: PolicyKind,
): Promise<Judgement> {
  const base = { library: undefined, variant: "-", parameters: "" };
  if (policy.awsManaged) return { ...base, state: "other", detail: "AWS managed policy" };
  if (await reader.isServiceManaged(policy)) {
    return {
      ...base,
      state: "service-managed",
      detail:
        "created by an AWS service (ManagedBy=service-access): counted against the quota and evaluated, never changed by orgwarden",
    };
  }
  return {
    ...base,
    state: "other",
    detail:
      kind.category === "management"
        ? "not orgwarden's: never changed"
        : "not orgwarden's: evaluated by the lockout guard, never changed",
  };
}

export type ScpJudgement = Pick<ScpStatusRow, "library" | "variant" | "parameters" | "state" | "detail">;
type Judgement = ScpJudgement;

/**
 * Judges orgwarden-named policies one by one (each read once): in sync with the library for its
 * recorded parameters, drifted, or an impostor. For the report's SCP coverage.
 */
export function scpJudge(input: {
  organizations: OrganizationsClient;
  library: ReadonlyMap<string, PolicyTemplate>;
  partition?: string;
  /** RCPs: the organization every RCP names (its default parameters). */
  organizationId?: string;
  kind?: PolicyKind;
}): (policy: ScpSummary) => Promise<ScpJudgement> {
  const reader = new PolicyReader(input.organizations);
  const seen = new Map<string, Promise<ScpJudgement>>();
  return (policy) => {
    let j = seen.get(policy.id);
    if (!j) {
      j = judgePolicy(policy, reader, input);
      seen.set(policy.id, j);
    }
    return j;
  };
}

async function judgePolicy(
  policy: ScpSummary,
  reader: PolicyReader,
  input: Pick<ScpStatusInput, "library" | "partition" | "kind"> & { organizationId?: string | undefined },
): Promise<Judgement> {
  const kind = input.kind ?? SCP_KIND;
  const parsed = parseManagedName(policy.name);
  const library = parsed?.name;
  const variant = parsed?.variant ?? "default";
  if (await reader.isServiceManaged(policy)) {
    return {
      library,
      variant,
      parameters: "",
      state: "service-managed",
      detail:
        "named like an orgwarden policy but tagged ManagedBy=service-access: an AWS service manages it, orgwarden never changes it",
    };
  }
  if (!(await reader.isManaged(policy))) {
    return {
      library,
      variant,
      parameters: "",
      state: "impostor",
      detail: "named like an orgwarden policy but not tagged managed-by=orgwarden: orgwarden does not own it",
    };
  }
  if (kind.category === "management" && parsed)
    return { library, variant, ...(await judgeDeclarativePolicy(kind, policy, reader, parsed)) };
  const template = library ? input.library.get(library) : undefined;
  if (!template) {
    return {
      library,
      variant,
      parameters: "",
      state: "drifted",
      detail: `no policy named ${library} in the ${kind.short} library`,
    };
  }
  const defaults: TemplateParameters =
    kind.family === "rcp"
      ? defaultRcpParameters(input.partition ?? "aws", requireOrganization(input.organizationId))
      : defaultScpParameters(input.partition);
  const stored = parametersFromTags(await reader.tags(policy.id));
  // The organization's own facts are never taken from the policy's tags: an RCP whose content and
  // tags agree on another organization's id would deny every principal of this one.
  const bound = organizationFacts(defaults);
  const foreign = Object.entries(bound).find(
    ([key, value]) => stored?.[key] !== undefined && stored[key] !== value,
  );
  if (foreign) {
    const [key, value] = foreign;
    return {
      library,
      variant,
      parameters: describeParameters(stored ?? {}),
      state: "drifted",
      detail: `recorded for ${key} ${String(stored?.[key])}, but this organization's is ${value}: re-apply it with apply-${kind.family}`,
    };
  }
  const params = { ...defaults, ...stored, ...bound } as TemplateParameters;
  let expected: RenderedPolicy;
  try {
    expected = renderPolicy(template, params);
  } catch (err) {
    return {
      library,
      variant,
      parameters: describeParameters(stored ?? {}),
      state: "drifted",
      detail: `its recorded parameters no longer render: ${(err as Error).message}`,
    };
  }
  const parameters = describeParameters(expected.parameters);
  if (!stored && parsed?.variant) {
    return {
      library,
      variant,
      parameters: "",
      state: "drifted",
      detail: `a variant whose parameters are not recorded in its tags: re-apply it with apply-${kind.family}`,
    };
  }
  if ((expected.variant ?? "default") !== variant) {
    return {
      library,
      variant,
      parameters,
      state: "drifted",
      detail: `its recorded parameters make variant ${expected.variant ?? "default"}, not ${variant}: the tags were edited`,
    };
  }
  let current: PolicyDocument;
  try {
    current = await reader.document(policy.id, policy.name);
  } catch (err) {
    // A document the evaluator refuses is drifted; an API failure is not a finding: it is thrown.
    if (!(err instanceof OrgwardenError) || err.code !== "INVALID_INPUT") throw err;
    return { library, variant, parameters, state: "drifted", detail: err.message };
  }
  // Equal with keys in any order is in sync (as apply-scp decides); the diff is for the reader.
  if (sameDocument(current, expected.document))
    return { library, variant, parameters, state: "in-sync", detail: "" };
  const diff = diffPolicies(current, expected.document).filter((l) => !l.startsWith("  "));
  const shown = diff.slice(0, 4).map((l) => l.trim());
  return {
    library,
    variant,
    parameters,
    state: "drifted",
    detail: `the attached document differs from the library: ${shown.join(" ")}${diff.length > 4 ? ` (+${diff.length - 4} more lines)` : ""}`,
  };
}

function describeParameters(p: RenderedPolicy["parameters"]): string {
  return Object.entries(p)
    .filter(([k]) => k !== "Partition")
    .map(([k, v]) => `${k}=${formatTemplateValue(v, ",")}`)
    .join("; ");
}

/** The parameters that are facts of the organization (its partition; an RCP's organization id), never choices. */
function organizationFacts(defaults: TemplateParameters): Record<string, string> {
  const facts: Record<string, string> = { Partition: defaults.Partition };
  if ("OrganizationId" in defaults) facts.OrganizationId = defaults.OrganizationId;
  return facts;
}

function requireOrganization(id: string | undefined): string {
  if (id === undefined) {
    throw new OrgwardenError("INTERNAL", "judging an RCP needs the organization's id", {
      hint: "Report this as a bug in orgwarden.",
    });
  }
  return id;
}
