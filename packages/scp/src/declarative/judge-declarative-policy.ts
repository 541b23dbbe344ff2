import { OrgwardenError, type ScpSummary } from "@orgwarden/core";
import { diffPolicies } from "../policy-diff.js";
import { sameDocument } from "../policy-document.js";
import type { PolicyKind } from "../policy-kind.js";
import type { PolicyReader } from "../policy-reader.js";
import { declarativePolicyFromTags, isDeclarativePolicyType } from "./declarative-policies.js";

/** What `status` says of one of orgwarden's S3 or EC2 declarative policies. */
export interface DeclarativeJudgement {
  /** The parameters recorded in its tags, one line. */
  parameters: string;
  state: "in-sync" | "drifted";
  detail: string;
}

/**
 * Judges an orgwarden-tagged management policy against what orgwarden renders for the parameter
 * set recorded in its tags: in sync, or drifted (edited outside orgwarden, tags edited or lost, a
 * set that no longer renders). The family and variant in its name must be the set's.
 */
export async function judgeDeclarativePolicy(
  kind: PolicyKind,
  policy: ScpSummary,
  reader: PolicyReader,
  named: { name: string; variant: string | undefined },
): Promise<DeclarativeJudgement> {
  if (!isDeclarativePolicyType(kind.type))
    throw new OrgwardenError("INTERNAL", `${kind.many} are not rendered from a parameter set`, {
      hint: "Report this as a bug in orgwarden.",
    });
  const expected = declarativePolicyFromTags(kind.type, await reader.tags(policy.id));
  if (!expected)
    return {
      parameters: "",
      state: "drifted",
      detail: `its tags hold no parameter set orgwarden can render: re-apply it with apply-${kind.family}`,
    };
  const parameters = Object.entries(expected.parameters)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");
  if (expected.name !== named.name || expected.variant !== named.variant)
    return {
      parameters,
      state: "drifted",
      detail: `its recorded parameters make ${expected.managedName}, not ${policy.name}: the tags or the name were edited`,
    };
  let current: Record<string, unknown>;
  try {
    current = await reader.json(policy.id, policy.name);
  } catch (err) {
    if (!(err instanceof OrgwardenError) || err.code !== "INVALID_INPUT") throw err;
    return { parameters, state: "drifted", detail: err.message };
  }
  if (sameDocument(current, expected.document)) return { parameters, state: "in-sync", detail: "" };
  const diff = diffPolicies(current, expected.document).filter((l) => !l.startsWith("  "));
  return {
    parameters,
    state: "drifted",
    detail: `the attached content is not what these parameters render: ${diff
      .slice(0, 4)
      .map((l) => l.trim())
      .join(" ")}${diff.length > 4 ? ` (+${diff.length - 4} more lines)` : ""}`,
  };
}
