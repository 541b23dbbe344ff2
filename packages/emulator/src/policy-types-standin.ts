import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { POLICY_TYPES, type PolicyTypeName, policyTypeEntry } from "@orgwarden/core";
import { forwardBuffered, sendBuffered } from "./forward-request.js";
import {
  answer,
  askOrganizations,
  describeTarget,
  motoRoots,
  type OrganizationsInput,
  type OrganizationsTarget,
  pageOf,
  refuse,
} from "./organizations-standin-calls.js";
import { type StandInRequest, sendJson } from "./wire-protocol.js";

/**
 * The Organizations policy types moto 5.2.1 lacks, for the stand-in proxy (standin-proxy.ts). moto
 * knows SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY, TAG_POLICY and AISERVICES_OPT_OUT_POLICY;
 * it enables BACKUP_POLICY but cannot create one (its FakePolicy has no ARN format for it), so
 * backup policies live here with the ten types it has never heard of. For those types this answers
 * EnablePolicyType, DisablePolicyType, CreatePolicy, DescribePolicy, UpdatePolicy, DeletePolicy,
 * AttachPolicy, DetachPolicy, ListPolicies, ListPoliciesForTarget, ListTargetsForPolicy and the
 * tag calls on its policies, and adds the enabled ones to ListRoots' PolicyTypes. Invalid
 * effective policies, of these types and moto's, are effective-policies-standin.ts's.
 *
 * Shapes and error codes are the API reference's: PolicyTypeNotEnabledException on attach,
 * ConstraintViolationException with MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED past the type's quota
 * (the catalogue's default), POLICY_CONTENT_LIMIT_EXCEEDED past its size,
 * DuplicatePolicyAttachmentException, PolicyNotAttachedException, PolicyInUseException.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html
 */
export const MOTO_POLICY_TYPES: readonly PolicyTypeName[] = [
  "SERVICE_CONTROL_POLICY",
  "RESOURCE_CONTROL_POLICY",
  "TAG_POLICY",
  "AISERVICES_OPT_OUT_POLICY",
];
const STANDIN_TYPES = new Set<string>(POLICY_TYPES.filter((t) => !MOTO_POLICY_TYPES.includes(t)));

interface StoredPolicy {
  Id: string;
  Arn: string;
  Name: string;
  Description: string;
  Type: string;
  Content: string;
  tags: Map<string, string>;
  targets: Map<string, OrganizationsTarget>;
}

type Input = OrganizationsInput;

export interface PolicyTypesStandIn {
  handle(r: StandInRequest, res: ServerResponse): Promise<boolean>;
  /** Whether this stand-in holds the type (moto does not). */
  holds(type: string): boolean;
  /** Whether a type this stand-in holds is enabled at the root. */
  enabled(type: string): boolean;
  /**
   * The contents of the policies of a type this stand-in holds that are attached to a root, OU or
   * account, in the order they were created; none while the type is not enabled.
   */
  attachedContents(type: string, targetId: string): string[];
  reset(): void;
}

export function policyTypesStandIn(upstream: URL): PolicyTypesStandIn {
  const enabled = new Set<string>();
  const policies = new Map<string, StoredPolicy>();

  const roots = (r: StandInRequest) => motoRoots(upstream, r);
  /** The root an Enable/DisablePolicyType names, as moto has it; undefined: RootNotFoundException. */
  const rootOf = async (r: StandInRequest, input: Input) =>
    (await roots(r)).find((x) => x.Id === input.RootId);
  const refuseRoot = (res: ServerResponse) =>
    refuse(res, "RootNotFoundException", "We can't find a root with the RootId that you specified.");
  const withStandInTypes = <R extends { PolicyTypes?: unknown[] }>(root: R): R => ({
    ...root,
    PolicyTypes: [...(root.PolicyTypes ?? []), ...[...enabled].map((Type) => ({ Type, Status: "ENABLED" }))],
  });
  const targetOf = (r: StandInRequest, id: string) => describeTarget(upstream, r, id);
  const summary = (p: StoredPolicy) => ({
    Id: p.Id,
    Arn: p.Arn,
    Name: p.Name,
    Description: p.Description,
    Type: p.Type,
    AwsManaged: false,
  });
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
        const root = await rootOf(r, input);
        if (!root) return refuseRoot(res);
        if (enabled.has(type))
          return refuse(
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
        const root = await rootOf(r, input);
        if (!root) return refuseRoot(res);
        if (!enabled.delete(type))
          return refuse(
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
          return refuse(
            res,
            "MalformedPolicyDocumentException",
            "The provided policy document doesn't meet the requirements of the specified policy type.",
          );
        }
        if (content.length > policyTypeEntry(type as PolicyTypeName).maxSize.value)
          return refuse(
            res,
            "ConstraintViolationException",
            "The policy content is larger than the policy type allows.",
            {
              Reason: "POLICY_CONTENT_LIMIT_EXCEEDED",
            },
          );
        if ([...policies.values()].some((p) => p.Name === input.Name && p.Type === type))
          return refuse(res, "DuplicatePolicyException", "A policy with the same name already exists.");
        const org = (await askOrganizations(upstream, r, "DescribeOrganization", {})).json().Organization as
          | { Id: string; MasterAccountId: string }
          | undefined;
        if (!org)
          return refuse(
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
          return refuse(
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
          return refuse(
            res,
            "PolicyTypeNotEnabledException",
            "This policy type is not enabled in the specified root.",
          );
        const target = await targetOf(r, String(input.TargetId));
        if (!target)
          return refuse(
            res,
            "TargetNotFoundException",
            "We can't find a root, OU, account, or policy with the TargetId that you specified.",
          );
        if (p.targets.has(target.TargetId))
          return refuse(
            res,
            "DuplicatePolicyAttachmentException",
            "The selected policy is already attached to the specified target.",
          );
        const attached = [...policies.values()].filter(
          (x) => x.Type === p.Type && x.targets.has(target.TargetId),
        ).length;
        if (attached >= policyTypeEntry(p.Type as PolicyTypeName).perTarget.value)
          return refuse(
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
          return refuse(
            res,
            "PolicyNotAttachedException",
            "The policy isn't attached to the specified target in the specified root.",
          );
        return answer(res, {});
      },
      ListPolicies: async (_r, input, res) => {
        if (!STANDIN_TYPES.has(String(input.Filter))) return false;
        const list = [...policies.values()].filter((p) => p.Type === input.Filter).map(summary);
        return answer(res, pageOf("Policies", list, input));
      },
      ListPoliciesForTarget: async (r, input, res) => {
        if (!STANDIN_TYPES.has(String(input.Filter))) return false;
        if (!(await targetOf(r, String(input.TargetId))))
          return refuse(
            res,
            "TargetNotFoundException",
            "We can't find a root, OU, account, or policy with the TargetId that you specified.",
          );
        const list = [...policies.values()]
          .filter((p) => p.Type === input.Filter && p.targets.has(String(input.TargetId)))
          .map(summary);
        return answer(res, pageOf("Policies", list, input));
      },
      ListTargetsForPolicy: async (_r, input, res) => {
        const p = policies.get(String(input.PolicyId));
        return p ? answer(res, pageOf("Targets", [...p.targets.values()], input)) : false;
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
    };

  return {
    handle: async (r, res) => {
      const handler = handlers[r.action];
      if (!handler) return false;
      const input = JSON.parse(r.body.toString() || "{}") as Input;
      return handler(r, input, res);
    },
    holds: (type) => STANDIN_TYPES.has(type),
    enabled: (type) => enabled.has(type),
    attachedContents: (type, targetId) =>
      enabled.has(type)
        ? [...policies.values()]
            .filter((p) => p.Type === type && p.targets.has(targetId))
            .map((p) => p.Content)
        : [],
    reset: () => {
      enabled.clear();
      policies.clear();
    },
  };
}
