import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { POLICY_TYPES, type PolicyTypeName, policyTypeEntry } from "@orgwarden/core";
import { forwardBuffered, sendBuffered } from "./forward-request.js";
import { type StandInRequest, sendAwsError, sendJson } from "./wire-protocol.js";

/**
 * The Organizations policy types moto 5.2.1 lacks, for the stand-in proxy (standin-proxy.ts). moto
 * knows SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY, TAG_POLICY and AISERVICES_OPT_OUT_POLICY;
 * it enables BACKUP_POLICY but cannot create one (its FakePolicy has no ARN format for it), so
 * backup policies live here with the ten types it has never heard of. For those types this answers
 * EnablePolicyType, DisablePolicyType, CreatePolicy, DescribePolicy, UpdatePolicy, DeletePolicy,
 * AttachPolicy, DetachPolicy, ListPolicies, ListPoliciesForTarget, ListTargetsForPolicy and the
 * tag calls on its policies, and adds the enabled ones to ListRoots' PolicyTypes. For every type
 * with effective policies (moto has none of these two calls) it answers
 * ListAccountsWithInvalidEffectivePolicy and ListEffectivePolicyValidationErrors from what a test
 * or the demo seeded at /orgwarden-standin/effective-policy-errors (PUT {accountId, policyType,
 * errors}, DELETE, GET).
 *
 * Shapes and error codes are the API reference's: PolicyTypeNotEnabledException on attach,
 * ConstraintViolationException with MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED past the type's quota
 * (the catalogue's default), POLICY_CONTENT_LIMIT_EXCEEDED past its size,
 * DuplicatePolicyAttachmentException, PolicyNotAttachedException, PolicyInUseException,
 * EffectivePolicyNotFoundException for a type not enabled.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccountsWithInvalidEffectivePolicy.html
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListEffectivePolicyValidationErrors.html
 */
export const MOTO_POLICY_TYPES: readonly PolicyTypeName[] = [
  "SERVICE_CONTROL_POLICY",
  "RESOURCE_CONTROL_POLICY",
  "TAG_POLICY",
  "AISERVICES_OPT_OUT_POLICY",
];
const STANDIN_TYPES = new Set<string>(POLICY_TYPES.filter((t) => !MOTO_POLICY_TYPES.includes(t)));

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

interface Target {
  TargetId: string;
  Arn: string;
  Name: string;
  Type: "ROOT" | "ORGANIZATIONAL_UNIT" | "ACCOUNT";
}

interface StoredPolicy {
  Id: string;
  Arn: string;
  Name: string;
  Description: string;
  Type: string;
  Content: string;
  tags: Map<string, string>;
  targets: Map<string, Target>;
}

type Input = Record<string, unknown> & { NextToken?: string; MaxResults?: number };

export interface PolicyTypesStandIn {
  handle(r: StandInRequest, res: ServerResponse): Promise<boolean>;
  control(method: string, body: Buffer, res: ServerResponse): void;
  reset(): void;
}

export function policyTypesStandIn(upstream: URL): PolicyTypesStandIn {
  const enabled = new Set<string>();
  const policies = new Map<string, StoredPolicy>();
  const invalid = new Map<string, EffectivePolicyErrorSeed>();

  /** Asks moto, as the caller: the organization, its root, an OU or an account. */
  const moto = async (r: StandInRequest, action: string, input: unknown) => {
    const req = {
      method: "POST",
      url: "/",
      headers: {
        authorization: r.req.headers.authorization,
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `AWSOrganizationsV20161128.${action}`,
      },
    } as unknown as IncomingMessage;
    const up = await forwardBuffered(upstream, req, Buffer.from(JSON.stringify(input)));
    return { status: up.status, json: () => JSON.parse(up.body.toString() || "{}") as Record<string, never> };
  };
  const roots = async (r: StandInRequest) =>
    ((await moto(r, "ListRoots", {})).json().Roots ?? []) as Array<{
      Id: string;
      Arn: string;
      Name: string;
      PolicyTypes?: unknown[];
    }>;
  const withStandInTypes = <R extends { PolicyTypes?: unknown[] }>(root: R): R => ({
    ...root,
    PolicyTypes: [...(root.PolicyTypes ?? []), ...[...enabled].map((Type) => ({ Type, Status: "ENABLED" }))],
  });
  const targetOf = async (r: StandInRequest, id: string): Promise<Target | undefined> => {
    if (id.startsWith("r-")) {
      const root = (await roots(r)).find((x) => x.Id === id);
      return root && { TargetId: id, Arn: root.Arn, Name: root.Name, Type: "ROOT" };
    }
    const ou = id.startsWith("ou-");
    const out = await moto(
      r,
      ou ? "DescribeOrganizationalUnit" : "DescribeAccount",
      ou ? { OrganizationalUnitId: id } : { AccountId: id },
    );
    if (out.status !== 200) return undefined;
    const found = (ou ? out.json().OrganizationalUnit : out.json().Account) as
      | { Arn: string; Name: string }
      | undefined;
    return (
      found && {
        TargetId: id,
        Arn: found.Arn,
        Name: found.Name,
        Type: ou ? "ORGANIZATIONAL_UNIT" : "ACCOUNT",
      }
    );
  };
  const typeEnabled = async (r: StandInRequest, type: string) =>
    STANDIN_TYPES.has(type)
      ? enabled.has(type)
      : (await roots(r)).some((root) =>
          (root.PolicyTypes as Array<{ Type: string; Status: string }> | undefined)?.some(
            (t) => t.Type === type && t.Status === "ENABLED",
          ),
        );
  const summary = (p: StoredPolicy) => ({
    Id: p.Id,
    Arn: p.Arn,
    Name: p.Name,
    Description: p.Description,
    Type: p.Type,
    AwsManaged: false,
  });
  const error = (res: ServerResponse, code: string, message: string, extra: Record<string, string> = {}) => {
    if (Object.keys(extra).length === 0) sendAwsError(res, "json", 400, code, message);
    else sendJson(res, { __type: code, message, ...extra }, "json", 400);
    return true;
  };

  const handlers: Record<string, (r: StandInRequest, input: Input, res: ServerResponse) => Promise<boolean>> =
    {
      ListRoots: async (r, _input, res) => {
        const up = await forwardBuffered(upstream, r.req, r.body);
        if (up.status !== 200 || enabled.size === 0) sendBuffered(res, up);
        else {
          const listed = JSON.parse(up.body.toString()) as { Roots?: Array<{ PolicyTypes?: unknown[] }> };
          sendJson(res, { ...listed, Roots: (listed.Roots ?? []).map(withStandInTypes) });
        }
        return true;
      },
      EnablePolicyType: async (r, input, res) => {
        const type = String(input.PolicyType);
        if (!STANDIN_TYPES.has(type)) return false;
        const root = (await roots(r)).find((x) => x.Id === input.RootId);
        if (!root)
          return error(
            res,
            "RootNotFoundException",
            "We can't find a root with the RootId that you specified.",
          );
        if (enabled.has(type))
          return error(
            res,
            "PolicyTypeAlreadyEnabledException",
            "The specified policy type is already enabled.",
          );
        enabled.add(type);
        return answer(res, { Root: withStandInTypes(root) });
      },
      DisablePolicyType: async (r, input, res) => {
        const type = String(input.PolicyType);
        if (!STANDIN_TYPES.has(type)) return false;
        const root = (await roots(r)).find((x) => x.Id === input.RootId);
        if (!root)
          return error(
            res,
            "RootNotFoundException",
            "We can't find a root with the RootId that you specified.",
          );
        if (!enabled.delete(type))
          return error(
            res,
            "PolicyTypeNotEnabledException",
            "This policy type is not enabled in the specified root.",
          );
        // Disabling a type detaches every policy of it (AWS keeps the policies).
        for (const p of policies.values()) if (p.Type === type) p.targets.clear();
        return answer(res, { Root: withStandInTypes(root) });
      },
      CreatePolicy: async (r, input, res) => {
        const type = String(input.Type);
        if (!STANDIN_TYPES.has(type)) return false;
        const content = String(input.Content ?? "");
        try {
          JSON.parse(content);
        } catch {
          return error(
            res,
            "MalformedPolicyDocumentException",
            "The provided policy document doesn't meet the requirements of the specified policy type.",
          );
        }
        if (content.length > policyTypeEntry(type as PolicyTypeName).maxSize.value)
          return error(
            res,
            "ConstraintViolationException",
            "The policy content is larger than the policy type allows.",
            {
              Reason: "POLICY_CONTENT_LIMIT_EXCEEDED",
            },
          );
        if ([...policies.values()].some((p) => p.Name === input.Name && p.Type === type))
          return error(res, "DuplicatePolicyException", "A policy with the same name already exists.");
        const org = (await moto(r, "DescribeOrganization", {})).json().Organization as
          | { Id: string; MasterAccountId: string }
          | undefined;
        if (!org)
          return error(
            res,
            "AWSOrganizationsNotInUseException",
            "Your account is not a member of an organization.",
          );
        const id = `p-${randomBytes(6).toString("hex").slice(0, 8)}`;
        const policy: StoredPolicy = {
          Id: id,
          Arn: `arn:aws:organizations::${org.MasterAccountId}:policy/${org.Id}/${type.toLowerCase()}/${id}`,
          Name: String(input.Name),
          Description: String(input.Description ?? ""),
          Type: type,
          Content: content,
          tags: new Map(
            ((input.Tags ?? []) as Array<{ Key: string; Value: string }>).map((t) => [t.Key, t.Value]),
          ),
          targets: new Map(),
        };
        policies.set(id, policy);
        return answer(res, { Policy: { PolicySummary: summary(policy), Content: content } });
      },
      DescribePolicy: async (_r, input, res) => {
        const p = policies.get(String(input.PolicyId));
        return p ? answer(res, { Policy: { PolicySummary: summary(p), Content: p.Content } }) : false;
      },
      UpdatePolicy: async (_r, input, res) => {
        const p = policies.get(String(input.PolicyId));
        if (!p) return false;
        if (typeof input.Name === "string") p.Name = input.Name;
        if (typeof input.Description === "string") p.Description = input.Description;
        if (typeof input.Content === "string") p.Content = input.Content;
        return answer(res, { Policy: { PolicySummary: summary(p), Content: p.Content } });
      },
      DeletePolicy: async (_r, input, res) => {
        const p = policies.get(String(input.PolicyId));
        if (!p) return false;
        if (p.targets.size > 0)
          return error(
            res,
            "PolicyInUseException",
            "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.",
          );
        policies.delete(p.Id);
        return answer(res, {});
      },
      AttachPolicy: async (r, input, res) => {
        const p = policies.get(String(input.PolicyId));
        if (!p) return false;
        if (!enabled.has(p.Type))
          return error(
            res,
            "PolicyTypeNotEnabledException",
            "This policy type is not enabled in the specified root.",
          );
        const target = await targetOf(r, String(input.TargetId));
        if (!target)
          return error(
            res,
            "TargetNotFoundException",
            "We can't find a root, OU, account, or policy with the TargetId that you specified.",
          );
        if (p.targets.has(target.TargetId))
          return error(
            res,
            "DuplicatePolicyAttachmentException",
            "The selected policy is already attached to the specified target.",
          );
        const attached = [...policies.values()].filter(
          (x) => x.Type === p.Type && x.targets.has(target.TargetId),
        ).length;
        if (attached >= policyTypeEntry(p.Type as PolicyTypeName).perTarget.value)
          return error(
            res,
            "ConstraintViolationException",
            "You attempted to exceed the number of policies of a certain type that can be attached to an entity.",
            {
              Reason: "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
            },
          );
        p.targets.set(target.TargetId, target);
        return answer(res, {});
      },
      DetachPolicy: async (_r, input, res) => {
        const p = policies.get(String(input.PolicyId));
        if (!p) return false;
        if (!p.targets.delete(String(input.TargetId)))
          return error(
            res,
            "PolicyNotAttachedException",
            "The policy isn't attached to the specified target in the specified root.",
          );
        return answer(res, {});
      },
      ListPolicies: async (_r, input, res) => {
        if (!STANDIN_TYPES.has(String(input.Filter))) return false;
        const list = [...policies.values()].filter((p) => p.Type === input.Filter).map(summary);
        return answer(res, page("Policies", list, input));
      },
      ListPoliciesForTarget: async (r, input, res) => {
        if (!STANDIN_TYPES.has(String(input.Filter))) return false;
        if (!(await targetOf(r, String(input.TargetId))))
          return error(
            res,
            "TargetNotFoundException",
            "We can't find a root, OU, account, or policy with the TargetId that you specified.",
          );
        const list = [...policies.values()]
          .filter((p) => p.Type === input.Filter && p.targets.has(String(input.TargetId)))
          .map(summary);
        return answer(res, page("Policies", list, input));
      },
      ListTargetsForPolicy: async (_r, input, res) => {
        const p = policies.get(String(input.PolicyId));
        return p ? answer(res, page("Targets", [...p.targets.values()], input)) : false;
      },
      ListTagsForResource: async (_r, input, res) => {
        const p = policies.get(String(input.ResourceId));
        if (!p) return false;
        const tags = [...p.tags].map(([Key, Value]) => ({ Key, Value }));
        return answer(res, { Tags: tags });
      },
      TagResource: async (_r, input, res) => {
        const p = policies.get(String(input.ResourceId));
        if (!p) return false;
        for (const t of (input.Tags ?? []) as Array<{ Key: string; Value: string }>)
          p.tags.set(t.Key, t.Value);
        return answer(res, {});
      },
      UntagResource: async (_r, input, res) => {
        const p = policies.get(String(input.ResourceId));
        if (!p) return false;
        for (const k of (input.TagKeys ?? []) as string[]) p.tags.delete(k);
        return answer(res, {});
      },
      ListAccountsWithInvalidEffectivePolicy: async (r, input, res) => {
        const type = String(input.PolicyType);
        if (!isEffectiveType(type))
          return error(
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
        return answer(res, { ...page("Accounts", accounts, input), PolicyType: type });
      },
      ListEffectivePolicyValidationErrors: async (r, input, res) => {
        const type = String(input.PolicyType);
        const accountId = String(input.AccountId);
        if (!isEffectiveType(type))
          return error(
            res,
            "InvalidInputException",
            "You provided a value that does not match the required pattern.",
          );
        if ((await moto(r, "DescribeAccount", { AccountId: accountId })).status !== 200)
          return error(
            res,
            "AccountNotFoundException",
            "We can't find an AWS account with the AccountId that you specified.",
          );
        if (!(await typeEnabled(r, type)))
          return error(
            res,
            "EffectivePolicyNotFoundException",
            "We can't find an effective policy of the specified type.",
          );
        const errors = invalid.get(`${accountId} ${type}`)?.errors ?? [];
        return answer(res, {
          ...page("EffectivePolicyValidationErrors", errors, input),
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
      const input = JSON.parse(r.body.toString() || "{}") as Input;
      return handler(r, input, res);
    },
    control: (method, body, res) => {
      if (method === "PUT") {
        const seed = JSON.parse(body.toString() || "{}") as EffectivePolicyErrorSeed;
        invalid.set(`${seed.accountId} ${seed.policyType}`, seed);
      } else if (method === "DELETE") invalid.clear();
      sendJson(res, { seeded: [...invalid.values()] }, "rest-json");
    },
    reset: () => {
      enabled.clear();
      policies.clear();
      invalid.clear();
    },
  };
}

/** Writes a JSON 1.1 answer: the request is handled. */
function answer(res: ServerResponse, output: unknown): true {
  sendJson(res, output);
  return true;
}

function isEffectiveType(type: string): boolean {
  return (
    (POLICY_TYPES as readonly string[]).includes(type) &&
    policyTypeEntry(type as PolicyTypeName).effectivePolicies
  );
}

/** One page of a list: MaxResults items (20 by default) from the index a NextToken names. */
function page<T>(key: string, items: readonly T[], input: Input): Record<string, unknown> {
  const start = Number(input.NextToken ?? 0) || 0;
  const size = Math.max(1, Number(input.MaxResults ?? 20));
  const next = start + size < items.length ? String(start + size) : undefined;
  return { [key]: items.slice(start, start + size), ...(next ? { NextToken: next } : {}) };
}
