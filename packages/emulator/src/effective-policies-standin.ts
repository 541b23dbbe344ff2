import type { ServerResponse } from "node:http";
import { POLICY_TYPES, type PolicyTypeName, policyTypeEntry } from "@orgwarden/core";
import {
  answer,
  askOrganizations,
  motoRoots,
  type OrganizationsInput,
  pageOf,
  refuse,
} from "./organizations-standin-calls.js";
import { type StandInRequest, sendJson } from "./wire-protocol.js";

/**
 * Invalid effective policies, which moto knows nothing of: ListAccountsWithInvalidEffectivePolicy and
 * ListEffectivePolicyValidationErrors for every type with effective policies, answered from what a
 * test or the demo seeded at /orgwarden-standin/effective-policy-errors (PUT {accountId,
 * policyType, errors}, DELETE, GET). A type not enabled has no effective policy
 * (EffectivePolicyNotFoundException), SCPs and RCPs none at all (InvalidInputException).
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccountsWithInvalidEffectivePolicy.html
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListEffectivePolicyValidationErrors.html
 */
export const EFFECTIVE_POLICY_ERRORS_PATH = "/orgwarden-standin/effective-policy-errors";

export interface EffectivePolicyErrorSeed {
  accountId: string;
  policyType: PolicyTypeName;
  errors: Array<{
    ErrorCode: string;
    ErrorMessage: string;
    PathToError: string;
    ContributingPolicies: string[];
  }>;
}

export interface EffectivePoliciesStandIn {
  handle(r: StandInRequest, res: ServerResponse): Promise<boolean>;
  control(method: string, body: Buffer, res: ServerResponse): void;
  reset(): void;
}

/**
 * `standInTypes` says whether the policy-types stand-in holds a type, and if so whether it is
 * enabled; moto's types are asked of moto's root.
 */
export function effectivePoliciesStandIn(
  upstream: URL,
  standInTypes: { holds(type: string): boolean; enabled(type: string): boolean },
): EffectivePoliciesStandIn {
  const invalid = new Map<string, EffectivePolicyErrorSeed>();
  const moto = (r: StandInRequest, action: string, input: unknown) =>
    askOrganizations(upstream, r, action, input);
  const typeEnabled = async (r: StandInRequest, type: string) =>
    standInTypes.holds(type)
      ? standInTypes.enabled(type)
      : (await motoRoots(upstream, r)).some((root) =>
          root.PolicyTypes?.some((t) => t.Type === type && t.Status === "ENABLED"),
        );
  const handlers: Record<
    string,
    (r: StandInRequest, input: OrganizationsInput, res: ServerResponse) => Promise<boolean>
  > = {
    ListAccountsWithInvalidEffectivePolicy: async (r, input, res) => {
      const type = String(input.PolicyType);
      if (!isEffectiveType(type))
        return refuse(
          res,
          "InvalidInputException",
          "You provided a value that does not match the required pattern.",
        );
      const seeded = (await typeEnabled(r, type))
        ? [...invalid.values()].filter((s) => s.policyType === type)
        : [];
      const accounts = [];
      for (const s of seeded) {
        const out = await moto(r, "DescribeAccount", { AccountId: s.accountId });
        if (out.status === 200) accounts.push(out.json().Account);
      }
      return answer(res, { ...pageOf("Accounts", accounts, input), PolicyType: type });
    },
    ListEffectivePolicyValidationErrors: async (r, input, res) => {
      const type = String(input.PolicyType);
      const accountId = String(input.AccountId);
      if (!isEffectiveType(type))
        return refuse(
          res,
          "InvalidInputException",
          "You provided a value that does not match the required pattern.",
        );
      if ((await moto(r, "DescribeAccount", { AccountId: accountId })).status !== 200)
        return refuse(
          res,
          "AccountNotFoundException",
          "We can't find an AWS account with the AccountId that you specified.",
        );
      if (!(await typeEnabled(r, type)))
        return refuse(
          res,
          "EffectivePolicyNotFoundException",
          "We can't find an effective policy of the specified type.",
        );
      const errors = invalid.get(`${accountId} ${type}`)?.errors ?? [];
      return answer(res, {
        ...pageOf("EffectivePolicyValidationErrors", errors, input),
        AccountId: accountId,
        PolicyType: type,
        Path: "",
        EvaluationTimestamp: Date.now() / 1000,
      });
    },
  };
  return {
    handle: async (r, res) => {
      const handler = handlers[r.action];
      if (!handler) return false;
      return handler(r, JSON.parse(r.body.toString() || "{}") as OrganizationsInput, res);
    },
    control: (method, body, res) => {
      if (method === "PUT") {
        const seed = JSON.parse(body.toString() || "{}") as EffectivePolicyErrorSeed;
        invalid.set(`${seed.accountId} ${seed.policyType}`, seed);
      } else if (method === "DELETE") invalid.clear();
      sendJson(res, { seeded: [...invalid.values()] }, "rest-json");
    },
    reset: () => invalid.clear(),
  };
}

function isEffectiveType(type: string): boolean {
  return (
    (POLICY_TYPES as readonly string[]).includes(type) &&
    policyTypeEntry(type as PolicyTypeName).effectivePolicies
  );
}
