import { type PermissionFile, renderDelegationPolicy, renderPermissionPolicies } from "@orgwarden/core";
import { stringify } from "yaml";

/**
 * The scheduled template's policy documents, from the one action catalogue that also makes
 * docs/permissions/ (packages/core/src/aws-actions.ts): the task role's read-only and write
 * statements, and the member role the StackSet creates in every member account. They sit in
 * deploy/orgwarden-scheduled.yaml between "# BEGIN generated: NAME" and "# END generated: NAME";
 * permissions.test.ts fails when a block is not what this renders, and UPDATE_DOCS=1 rewrites it.
 */
type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** A catalogue ARN as CloudFormation writes it: the stack's partition, the member role's name. */
function intrinsic(value: string): Json {
  if (!value.startsWith("arn:aws:")) return value;
  return {
    "Fn::Sub": value
      .replace(/^arn:aws:/, "arn:${AWS::Partition}:")
      .replace(/role\/OrganizationAccountAccessRole$/, "role/${MemberRoleName}"),
  };
}

function withIntrinsics(v: Json): Json {
  if (typeof v === "string") return intrinsic(v);
  if (Array.isArray(v)) return v.map(withIntrinsics);
  if (v && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withIntrinsics(x)]));
  return v;
}

/** The statements of one docs/permissions file, for CloudFormation. */
export function templateStatements(file: PermissionFile, leaveOut: readonly string[] = []): Json[] {
  const doc = renderPermissionPolicies()[file];
  return doc.Statement.filter((s) => !leaveOut.includes(s.Sid)).map((s) =>
    withIntrinsics(s as unknown as Json),
  );
}

/** The member role's own template: the StackSet deploys it in every member account. */
export function memberRoleTemplate(): Json {
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description:
      "orgwarden's role in a member account: exactly the actions orgwarden calls there (docs/permissions/member-role-*.json), trusted only by the scheduled task's role",
    Parameters: {
      TaskRoleArn: { Type: "String" },
      RoleName: { Type: "String" },
      AllowChanges: { Type: "String", AllowedValues: ["false", "true"] },
      ExternalId: { Type: "String", Default: "" },
    },
    Conditions: {
      WithWrite: { "Fn::Equals": [{ Ref: "AllowChanges" }, "true"] },
      WithExternalId: { "Fn::Not": [{ "Fn::Equals": [{ Ref: "ExternalId" }, ""] }] },
    },
    Resources: {
      MemberRole: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: { Ref: "RoleName" },
          AssumeRolePolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { AWS: { Ref: "TaskRoleArn" } },
                Action: "sts:AssumeRole",
                Condition: {
                  "Fn::If": [
                    "WithExternalId",
                    { StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } } },
                    { Ref: "AWS::NoValue" },
                  ],
                },
              },
            ],
          },
          Policies: [
            {
              PolicyName: "orgwarden-read-only",
              PolicyDocument: {
                Version: "2012-10-17",
                Statement: templateStatements("member-role-read-only"),
              },
            },
            {
              "Fn::If": [
                "WithWrite",
                {
                  PolicyName: "orgwarden-write",
                  PolicyDocument: {
                    Version: "2012-10-17",
                    Statement: templateStatements("member-role-write"),
                  },
                },
                { Ref: "AWS::NoValue" },
              ],
            },
          ],
        },
      },
    },
  };
}

/** The statements the task role's policies carry from the catalogue (the task never starts an MFA session). */
export const TEMPLATE_BLOCKS: Record<string, () => Json> = {
  "task-read-only": () => templateStatements("management-read-only", ["MfaSessionForTheOperator"]),
  "task-write": () => templateStatements("management-write"),
  "member-role": memberRoleTemplate,
  "delegation-policy": () =>
    withIntrinsics(renderDelegationPolicy("arn:aws:iam::${DelegatedAdministrator}:root") as unknown as Json),
};

const BEGIN = (name: string) => new RegExp(`^([ \\t]*)# BEGIN generated: ${name}\\b.*$`, "m");
const END = (name: string) => new RegExp(`^[ \\t]*# END generated: ${name}\\b.*$`, "m");

/** The block's text as it should be, indented like its BEGIN line. */
export function renderBlock(name: string, indent: string): string {
  const value = (TEMPLATE_BLOCKS[name] as () => Json)();
  // Dates stay strings for CloudFormation's YAML 1.1 reader too.
  const yaml = stringify(value, { lineWidth: 0, flowCollectionPadding: false }).replace(
    /: (\d{4}-\d{2}-\d{2})$/gm,
    ': "$1"',
  );
  return yaml
    .trimEnd()
    .split("\n")
    .map((l) => `${indent}${l}`)
    .join("\n");
}

/** [what the template holds, what it should hold] for each block, and the template with them rewritten. */
export function templateBlocks(template: string): {
  blocks: Array<{ name: string; actual: string; expected: string }>;
  rewritten: string;
} {
  let rewritten = template;
  const blocks = Object.keys(TEMPLATE_BLOCKS).map((name) => {
    const begin = BEGIN(name).exec(template);
    const end = END(name).exec(template);
    if (!begin || !end)
      throw new Error(`deploy/orgwarden-scheduled.yaml has no "# BEGIN/END generated: ${name}"`);
    const from = begin.index + begin[0].length + 1;
    const actual = template.slice(from, end.index).trimEnd();
    const expected = renderBlock(name, begin[1] as string);
    rewritten = rewritten.replace(
      `${begin[0]}\n${template.slice(from, end.index)}`,
      `${begin[0]}\n${expected}\n`,
    );
    return { name, actual, expected };
  });
  return { blocks, rewritten };
}
