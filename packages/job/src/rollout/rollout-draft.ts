import { resolve } from "node:path";
import { type Inventory, OrgwardenError, requireTarget } from "@orgwarden/core";
import { DEFAULT_SCP_QUOTAS, documentSha256, type PolicyTemplate } from "@orgwarden/scp";
import { draftScp, type ScpDraft } from "../scp/plan-scp.js";
import type { ScpSettings } from "../settings/scp-settings.js";
import type { RolloutStart } from "./rollout-settings.js";
import { ROLLOUT_STATE_KIND, ROLLOUT_STATE_VERSION, type RolloutState } from "./rollout-state.js";

/**
 * A new rollout's state: the policies rendered (bad input stops here), every stage found in the
 * organization (a missing one stops here, before any write), each stage once.
 */
export function newRolloutState(
  start: RolloutStart,
  library: Map<string, PolicyTemplate>,
  inventory: Inventory,
  now: Date,
): RolloutState {
  const draft = draftScp(library, start.scp);
  const stages = start.stages.map((ref) => ({ ref, target: requireTarget(inventory, ref) }));
  const seen = new Map<string, string>();
  for (const { ref, target } of stages) {
    const earlier = seen.get(target.id);
    if (earlier !== undefined) {
      throw new OrgwardenError("INVALID_INPUT", `--stages names ${target.path} twice (${earlier}, ${ref})`, {
        hint: "Each stage is a different root, OU or account, in the order they are rolled out to.",
      });
    }
    seen.set(target.id, ref);
  }
  const { quotas: _derived, ...scp } = start.scp;
  return {
    kind: ROLLOUT_STATE_KIND,
    version: ROLLOUT_STATE_VERSION,
    organizationId: inventory.organizationId,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    policies: draft.policies.map((p) => ({
      name: p.name,
      managedName: p.managedName,
      sha256: documentSha256(p.content),
    })),
    scp: { ...scp, ...(start.policyDir ? { policyDir: resolve(start.policyDir) } : {}) },
    activity: {
      since: start.since,
      source: start.source,
      ...(start.activityRegions ? { regions: start.activityRegions } : {}),
    },
    maxNewDenials: start.maxNewDenials,
    soak: start.soak,
    soakMs: start.soakMs,
    deliveryMargin: start.deliveryMargin,
    deliveryMarginMs: start.deliveryMarginMs,
    notes:
      start.soakMs < start.deliveryMarginMs
        ? [
            `the soak (${start.soak}) is shorter than CloudTrail's delivery margin (${start.deliveryMargin}): each stage waits ${start.deliveryMargin} past its soak before it passes`,
          ]
        : [],
    stages: stages.map(({ ref, target }) => ({
      ref,
      id: target.id,
      path: target.path,
      status: "pending",
      attached: [],
      pendingDetaches: [],
      detached: [],
      denials: [],
    })),
  };
}

/** The settings a state holds, as apply-scp's settings again. */
export function stateScpSettings(state: RolloutState): ScpSettings {
  const { policyDir: _dir, ...scp } = state.scp;
  return { ...scp, quotas: { ...DEFAULT_SCP_QUOTAS, ...scp.configuredQuotas } };
}

/**
 * The policies rendered again from the state's settings, as they were when the rollout started: a
 * template changed since (a new orgwarden, an edited --policy-dir) would roll out another document
 * to the later stages than to the earlier ones, so it stops the resume.
 */
export function stateDraft(state: RolloutState, library: Map<string, PolicyTemplate>): ScpDraft {
  const draft = draftScp(library, stateScpSettings(state));
  const now = new Map(draft.policies.map((p) => [p.managedName, documentSha256(p.content)]));
  const changed = state.policies.filter((p) => now.get(p.managedName) !== p.sha256);
  if (changed.length > 0 || now.size !== state.policies.length) {
    throw new OrgwardenError(
      "REFUSED",
      `the library renders ${changed.map((p) => p.managedName).join(", ") || "other policies"} differently than when this rollout started: its later stages would get another document than its earlier ones`,
      {
        hint: "Resume with the orgwarden version (and --policy-dir) that started it, or finish this rollout's stages and start a new rollout for the new version.",
      },
    );
  }
  return draft;
}
