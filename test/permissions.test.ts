import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AWS_ACTIONS,
  type PermissionFile,
  renderDelegationPolicy,
  renderPermissionPolicies,
} from "@orgwarden/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { packageOf, sourceFiles } from "./support/import-graph.js";
import { simulateIdentityPolicy } from "./support/independent-simulator.js";
import { runsWith } from "./support/required-tool.js";
import { REPO_ROOT } from "./support/run-cli.js";
import { templateBlocks } from "./support/template-policies.js";

const PREFIX: Record<string, string> = {
  organizations: "organizations",
  sts: "sts",
  iam: "iam",
  "config-service": "config",
  cloudtrail: "cloudtrail",
  guardduty: "guardduty",
  "service-quotas": "servicequotas",
  accessanalyzer: "access-analyzer",
  ec2: "ec2",
  securityhub: "securityhub",
  sns: "sns",
  s3: "s3",
  // S3 Control's operations are authorized as s3: actions of their own names (AUTHORIZED_AS).
  "s3-control": "s3control",
  "resource-groups-tagging-api": "tag",
};
/** Operations IAM authorizes under another action's name. */
const AUTHORIZED_AS: Record<string, string> = {
  "s3:ListObjectsV2": "s3:ListBucket",
  "s3control:GetPublicAccessBlock": "s3:GetAccountPublicAccessBlock",
};
const WRITE =
  /:(Create|Update|Put|Delete|Attach|Detach|Enable|Start|Stop|Tag|Untag|BatchImport|BatchUpdate|Publish)/;

/**
 * Every AWS API orgwarden calls: each `new XCommand(` and `paginateX(` imported from an SDK client,
 * by an import statement or by a dynamic import where the client is loaded on first use
 * (`const { XCommand } = await import("@aws-sdk/client-x")`).
 */
function apiCallsInCode(): Map<string, string[]> {
  const calls = new Map<string, string[]>();
  // The emulator package (the demo's and the tests' seeding) only ever talks to the local emulator.
  for (const file of sourceFiles(REPO_ROOT).filter((f) => packageOf(f) !== "emulator")) {
    const text = readFileSync(join(REPO_ROOT, file), "utf8");
    const imports =
      /(?:import\s*\{([^}]+)\}\s*from\s*|const\s*\{([^}]+)\}\s*=\s*await\s+import\(\s*)"@aws-sdk\/client-([a-z0-9-]+)"/g;
    for (const m of text.matchAll(imports)) {
      const prefix = PREFIX[m[3] as string];
      if (!prefix) throw new Error(`unknown SDK client ${m[3]} in ${file}`);
      for (const raw of ((m[1] ?? m[2]) as string).split(",")) {
        const name = raw.replace(/^\s*type\s+/, "").trim();
        const op = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
        if (!op || !new RegExp(`\\b${name}\\b\\s*\\(`).test(text.replace(/import[^;]+;/g, ""))) continue;
        const action = AUTHORIZED_AS[`${prefix}:${op}`] ?? `${prefix}:${op}`;
        calls.set(action, [...(calls.get(action) ?? []), file]);
      }
    }
  }
  return calls;
}

function actionsOf(doc: { Statement: Array<{ Action: string | string[] }> }): Set<string> {
  return new Set(doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
}

const policy = (name: string) =>
  actionsOf(JSON.parse(readFileSync(join(REPO_ROOT, "docs/permissions", name), "utf8")));

describe("least-privilege policies", () => {
  const calls = apiCallsInCode();
  const readOnly = new Set([...policy("management-read-only.json"), ...policy("member-role-read-only.json")]);
  const write = new Set([...policy("management-write.json"), ...policy("member-role-write.json")]);

  it("docs/permissions/*.json are what the action catalogue generates (UPDATE_DOCS=1 rewrites them)", () => {
    const generated = renderPermissionPolicies();
    for (const [file, doc] of Object.entries(generated)) {
      const path = join(REPO_ROOT, "docs/permissions", `${file}.json`);
      const text = `${JSON.stringify(doc, null, 2)}\n`;
      if (process.env.UPDATE_DOCS === "1") writeFileSync(path, text);
      expect(readFileSync(path, "utf8"), `${file}.json`).toBe(text);
    }
    // The delegation policy for running from a delegated administrator, for the same actions.
    const delegation = join(REPO_ROOT, "docs/permissions/organizations-delegation.json");
    const delegationText = `${JSON.stringify(renderDelegationPolicy("arn:aws:iam::DELEGATED_ADMIN_ACCOUNT_ID:root"), null, 2)}\n`;
    if (process.env.UPDATE_DOCS === "1") writeFileSync(delegation, delegationText);
    expect(readFileSync(delegation, "utf8"), "organizations-delegation.json").toBe(delegationText);
    expect(Object.keys(generated).sort()).toEqual(
      [
        "management-read-only",
        "management-write",
        "member-role-read-only",
        "member-role-write",
      ].sort() as PermissionFile[],
    );
  });

  it("the catalogue names exactly the actions the code calls", () => {
    const catalogue = new Set(AWS_ACTIONS.map((a) => a.action));
    expect(
      [...calls.keys()].filter((a) => !catalogue.has(a)),
      "called but not in the catalogue",
    ).toEqual([]);
    const implied = new Set(AWS_ACTIONS.filter((a) => a.impliedBy).map((a) => a.action));
    expect(
      [...catalogue].filter((a) => !calls.has(a) && !implied.has(a)),
      "in the catalogue but never called",
    ).toEqual([]);
  });

  it("finds the API calls the code makes", () => {
    expect(calls.size).toBeGreaterThan(30);
    expect(calls.has("organizations:ListTargetsForPolicy")).toBe(true);
    expect(calls.has("sts:AssumeRole")).toBe(true);
  });

  // Calls made as a member's root user in an AssumeRoot session: the AWS task policy grants them.
  const sessionGranted = new Set(AWS_ACTIONS.filter((a) => a.grantedBy).map((a) => a.action));
  // And those IAM never denies (sts:GetCallerIdentity).
  const free = new Set(AWS_ACTIONS.filter((a) => a.needsNoPermission).map((a) => a.action));
  const ownCalls = [...calls.keys()].filter((a) => !sessionGranted.has(a) && !free.has(a));

  it("name every AWS API the code calls", () => {
    const missing = ownCalls.filter((a) => !readOnly.has(a) && !write.has(a));
    expect(missing).toEqual([]);
  });

  it("keep every read in the read-only policies and every write out of them", () => {
    expect([...readOnly].filter((a) => WRITE.test(a))).toEqual([]);
    const readsMissing = ownCalls.filter((a) => !WRITE.test(a) && !readOnly.has(a));
    expect(readsMissing).toEqual([]);
  });

  it("root-session calls are exactly what the AWS task policies allow, and no policy file grants them", () => {
    // IAMAuditRootUserCredentials and IAMDeleteRootUserCredentials, version 1 (2024-11-06):
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/security-iam-awsmanpol.html
    const taskPolicies = new Set([
      "iam:ListAccessKeys",
      "iam:ListSigningCertificates",
      "iam:GetLoginProfile",
      "iam:ListMFADevices",
      "iam:DeleteAccessKey",
      "iam:DeleteSigningCertificate",
      "iam:DeleteLoginProfile",
      "iam:DeactivateMFADevice",
      "iam:DeleteVirtualMFADevice",
    ]);
    expect([...sessionGranted].filter((a) => !taskPolicies.has(a))).toEqual([]);
    expect([...sessionGranted].filter((a) => readOnly.has(a) || write.has(a))).toEqual([]);
    for (const a of sessionGranted) {
      expect(
        (calls.get(a) ?? []).every((f) => f.startsWith("packages/root/")),
        `${a} is called outside packages/root`,
      ).toBe(true);
    }
  });

  it("the template's task role and member role are what the action catalogue generates (UPDATE_DOCS=1 rewrites them)", () => {
    const file = join(REPO_ROOT, "deploy/orgwarden-scheduled.yaml");
    const { blocks, rewritten } = templateBlocks(readFileSync(file, "utf8"));
    if (process.env.UPDATE_DOCS === "1") writeFileSync(file, rewritten);
    for (const b of blocks) expect(b.actual, `generated block ${b.name}`).toBe(b.expected);

    // And so, action for action, the policy files: the task role's read and write policies, the
    // member role's two policies inside the StackSet.
    const template = parse(readFileSync(file, "utf8"));
    const policies = template.Resources.TaskRole.Properties.Policies as unknown[];
    const readDoc = (policies[0] as { PolicyDocument: { Statement: Array<{ Action: string | string[] }> } })
      .PolicyDocument;
    const writeDoc = (
      policies[1] as {
        "Fn::If": [string, { PolicyDocument: { Statement: Array<{ Action: string | string[] }> } }];
      }
    )["Fn::If"][1].PolicyDocument;
    // The template adds the plumbing of its own resources: the report bucket and its key.
    const inTemplate = new Set(
      [...actionsOf(readDoc)].filter((a) => !a.startsWith("s3:") && !a.startsWith("kms:")),
    );
    const expected = [...policy("management-read-only.json")].filter(
      (a) => a !== "sts:GetSessionToken" && !a.startsWith("s3:"),
    );
    expect([...inTemplate].sort()).toEqual(expected.sort());
    expect([...actionsOf(writeDoc)].sort()).toEqual([...policy("management-write.json")].sort());
    const member = parse(template.Resources.MemberRoleStackSet.Properties.TemplateBody);
    const [memberRead, memberWrite] = member.Resources.MemberRole.Properties.Policies;
    expect([...actionsOf(memberRead.PolicyDocument)].sort()).toEqual(
      [...policy("member-role-read-only.json")].sort(),
    );
    expect([...actionsOf(memberWrite["Fn::If"][1].PolicyDocument)].sort()).toEqual(
      [...policy("member-role-write.json")].sort(),
    );
    // Trusted by the task role only.
    expect(member.Resources.MemberRole.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({
      AWS: { Ref: "TaskRoleArn" },
    });
    expect(template.Resources.MemberRoleStackSet.Properties.Parameters[0].ParameterValue).toEqual({
      "Fn::GetAtt": ["TaskRole", "Arn"],
    });
  });

  // The policy resource takes aws:ResourceTag, CreatePolicy aws:RequestTag, FullAWSAccess is an AWS
  // managed policy (arn:aws:organizations::aws:policy/...): the Service Authorization Reference,
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html
  it("SCP writes touch only policies tagged managed-by=orgwarden: never FullAWSAccess or a foreign policy (IAM simulation)", async () => {
    const write = renderPermissionPolicies()["management-write"];
    const org = "arn:aws:organizations::111122223333";
    const mine = `${org}:policy/o-exampleorg/service_control_policy/p-mine1234`;
    const foreign = `${org}:policy/o-exampleorg/service_control_policy/p-theirs12`;
    const fullAwsAccess = "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess";
    const ou = `${org}:ou/o-exampleorg/ou-ab12-cd34ef56`;
    const tagged = { "aws:ResourceTag/managed-by": "orgwarden" };
    const verdict = (action: string, resource: string, context: Record<string, string> = {}) =>
      simulateIdentityPolicy(write, action, resource, context);
    expect(await verdict("organizations:DetachPolicy", mine, tagged)).toBe("Allowed");
    expect(await verdict("organizations:DetachPolicy", ou)).toBe("Allowed");
    expect(await verdict("organizations:DetachPolicy", fullAwsAccess)).not.toBe("Allowed");
    expect(
      await verdict("organizations:DetachPolicy", foreign, { "aws:ResourceTag/owner": "security" }),
    ).not.toBe("Allowed");
    for (const action of ["UpdatePolicy", "DeletePolicy", "AttachPolicy", "TagResource", "UntagResource"]) {
      expect(await verdict(`organizations:${action}`, mine, tagged), action).toBe("Allowed");
      expect(await verdict(`organizations:${action}`, foreign), action).not.toBe("Allowed");
    }
    expect(
      await verdict("organizations:CreatePolicy", mine.replace("p-mine1234", "p-new12345"), {
        "aws:RequestTag/managed-by": "orgwarden",
      }),
    ).toBe("Allowed");
    expect(await verdict("organizations:CreatePolicy", mine.replace("p-mine1234", "p-new12345"))).not.toBe(
      "Allowed",
    );
  });

  const cfnLint = spawnSync("cfn-lint", ["--version"], { stdio: "ignore" }).status === 0;
  // The whole template is linted by scheduled-template.test.ts; cfn-lint sees the StackSet's body as
  // a string, so the member role's template is linted here on its own.
  it.runIf(runsWith(cfnLint))("the member role's template inside the StackSet passes cfn-lint", () => {
    const file = join(REPO_ROOT, "deploy/orgwarden-scheduled.yaml");
    const member = join(mkdtempSync(join(tmpdir(), "orgwarden-cfn-")), "member-role.yaml");
    writeFileSync(
      member,
      parse(readFileSync(file, "utf8")).Resources.MemberRoleStackSet.Properties.TemplateBody,
    );
    const res = spawnSync("cfn-lint", [member], { encoding: "utf8" });
    expect(res.stdout + res.stderr).toBe("");
    expect(res.status).toBe(0);
  });
});
