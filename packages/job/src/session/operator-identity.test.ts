import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { DescribeOrganizationCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { ClientFactory, type Inventory } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { operatorIdentity } from "./operator-identity.js";
import { webIdentitiesOfTrustPolicy } from "./trust-policy-web-identities.js";

const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
const org = mockClient(OrganizationsClient);
afterEach(() => {
  sts.reset();
  iam.reset();
  org.reset();
});

const session = () => ({
  factory: new ClientFactory({ region: "us-east-1", maxAttempts: 1 }),
  operatorCredentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "x" },
  options: { region: "us-east-1" } as never,
});
const inventory = {
  organizationId: "o-abcdef1234",
  accounts: [{ id: "111111111111" }, { id: "222222222222" }],
} as Inventory;

/** A trust policy as GitHub's configure-aws-credentials action needs it, URL-encoded as IAM returns it. */
function githubTrust(extra: object[] = []): string {
  return encodeURIComponent(
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: {
            Federated: "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com",
          },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": "repo:my-org/infra:ref:refs/heads/main",
            },
          },
        },
        ...extra,
      ],
    }),
  );
}

describe("operatorIdentity", () => {
  it("reads the OIDC providers of the runner's role from its trust policy when no token file names one", async () => {
    sts.on(GetCallerIdentityCommand).resolves({
      Account: "222222222222",
      Arn: "arn:aws:sts::222222222222:assumed-role/deploy/GitHubActions",
    });
    iam.on(GetRoleCommand, { RoleName: "deploy" }).resolves({
      Role: {
        RoleName: "deploy",
        Arn: "arn:aws:iam::222222222222:role/ci/deploy",
        Path: "/ci/",
        RoleId: "AROAEXAMPLE",
        CreateDate: new Date(),
        AssumeRolePolicyDocument: githubTrust(),
      },
    });
    const operator = await operatorIdentity(session(), inventory, {});
    expect(operator).toEqual({
      accountId: "222222222222",
      // IAM's own ARN, with the role's path: what aws:PrincipalArn carries.
      principalArn: "arn:aws:iam::222222222222:role/ci/deploy",
      inOrganization: true,
      organizationId: "o-abcdef1234",
      webIdentities: [
        {
          provider: "token.actions.githubusercontent.com",
          subject: "repo:my-org/infra:ref:refs/heads/main",
          roleArn: "arn:aws:iam::222222222222:role/ci/deploy",
          certain: true,
        },
      ],
    });
    expect(org.commandCalls(DescribeOrganizationCommand)).toEqual([]);
  });

  it("says the OIDC path was not checked when the role's trust policy cannot be read", async () => {
    sts.on(GetCallerIdentityCommand).resolves({
      Account: "222222222222",
      Arn: "arn:aws:sts::222222222222:assumed-role/deploy/GitHubActions",
    });
    iam
      .on(GetRoleCommand)
      .rejects(Object.assign(new Error("denied"), { name: "AccessDenied", $fault: "client", $metadata: {} }));
    const operator = await operatorIdentity(session(), inventory, {});
    expect(operator.webIdentities).toBeUndefined();
    expect(operator.unchecked).toEqual([
      expect.stringMatching(
        /trust policy of the runner's role deploy in account 222222222222 could not be read \(AccessDenied: allow iam:GetRole to use it\): the OIDC path .* was not checked/,
      ),
    ]);
  });

  it("reads the organization of a runner outside this one, with its own credentials", async () => {
    sts.on(GetCallerIdentityCommand).resolves({
      Account: "999988887777",
      Arn: "arn:aws:iam::999988887777:user/ci",
    });
    org.on(DescribeOrganizationCommand).resolves({ Organization: { Id: "o-partner1234" } });
    expect(await operatorIdentity(session(), inventory, {})).toEqual({
      accountId: "999988887777",
      principalArn: "arn:aws:iam::999988887777:user/ci",
      inOrganization: false,
      organizationId: "o-partner1234",
    });
    org.on(DescribeOrganizationCommand).rejects(
      Object.assign(new Error("none"), {
        name: "AWSOrganizationsNotInUseException",
        $fault: "client",
        $metadata: {},
      }),
    );
    const alone = await operatorIdentity(session(), inventory, {});
    expect(alone.organizationId).toBeUndefined();
    expect(alone.unchecked).toBeUndefined();
  });
});

describe("webIdentitiesOfTrustPolicy", () => {
  const role = "arn:aws:iam::222222222222:role/deploy";
  it("is certain only when the provider is the role's only way in, and keeps a sub only when one is pinned", () => {
    const alsoAssumable = githubTrust([
      { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole" },
    ]);
    expect(webIdentitiesOfTrustPolicy(alsoAssumable, role)).toEqual([
      {
        provider: "token.actions.githubusercontent.com",
        subject: "repo:my-org/infra:ref:refs/heads/main",
        roleArn: role,
        certain: false,
      },
    ]);
    const pattern = encodeURIComponent(
      JSON.stringify({
        Statement: {
          Effect: "Allow",
          Principal: { Federated: "arn:aws:iam::222222222222:oidc-provider/gitlab.com" },
          Action: ["sts:AssumeRoleWithWebIdentity"],
          Condition: { StringLike: { "gitlab.com:sub": "project_path:my-group/*" } },
        },
      }),
    );
    expect(webIdentitiesOfTrustPolicy(pattern, role)).toEqual([
      { provider: "gitlab.com", roleArn: role, certain: true },
    ]);
    // Identity Center's SAML provider is no OIDC path.
    const saml = encodeURIComponent(
      JSON.stringify({
        Statement: {
          Effect: "Allow",
          Principal: { Federated: "arn:aws:iam::222222222222:saml-provider/AWSSSO_abc_DO_NOT_DELETE" },
          Action: ["sts:AssumeRoleWithSAML", "sts:TagSession"],
        },
      }),
    );
    expect(webIdentitiesOfTrustPolicy(saml, role)).toEqual([]);
    expect(webIdentitiesOfTrustPolicy("not json", role)).toEqual([]);
  });
});
