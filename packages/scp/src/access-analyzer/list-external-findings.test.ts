import {
  AccessAnalyzerClient,
  ListAnalyzersCommand,
  ListFindingsCommand,
} from "@aws-sdk/client-accessanalyzer";
import { ListDelegatedAdministratorsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { ClientFactory } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { listExternalFindings } from "./list-external-findings.js";

const aa = mockClient(AccessAnalyzerClient);
const org = mockClient(OrganizationsClient);
afterEach(() => {
  aa.reset();
  org.reset();
});
const operator = { accessKeyId: "AKIDOPERATOR", secretAccessKey: "x" };
const delegated = { accessKeyId: "AKIDDELEGATED", secretAccessKey: "y" };
const input = () => ({
  factory: new ClientFactory({ region: "us-east-1", maxAttempts: 1 }),
  credentials: operator,
  operatorAccount: "111111111111",
  managementAccount: "111111111111",
  organizations: new OrganizationsClient({ region: "us-east-1" }),
  credentialsFor: async (account: string) => {
    if (account !== "333333333333") throw new Error(`no role in ${account}`);
    return delegated;
  },
});
const analyzer = (name: string, type: "ORGANIZATION" | "ACCOUNT", account: string) => ({
  arn: `arn:aws:access-analyzer:us-east-1:${account}:analyzer/${name}`,
  name,
  type,
  status: "ACTIVE" as const,
  createdAt: new Date(),
});

describe("listExternalFindings", () => {
  it("reads the organization analyzer of Access Analyzer's delegated administrator through orgwarden's role there", async () => {
    org
      .on(ListDelegatedAdministratorsCommand, { ServicePrincipal: "access-analyzer.amazonaws.com" })
      .resolves({
        DelegatedAdministrators: [{ Id: "333333333333", Status: "ACTIVE" }],
      });
    // The operator's account has no organization analyzer; the delegated administrator's has.
    aa.on(ListAnalyzersCommand, { type: "ORGANIZATION" })
      .resolvesOnce({ analyzers: [] })
      .resolves({ analyzers: [analyzer("org", "ORGANIZATION", "333333333333")] });
    aa.on(ListFindingsCommand).resolves({
      findings: [
        {
          id: "f-1",
          resource: "arn:aws:s3:::shared",
          resourceType: "AWS::S3::Bucket",
          resourceOwnerAccount: "222222222222",
          principal: { AWS: "444455556666" },
          action: ["s3:GetObject"],
          isPublic: false,
          status: "ACTIVE",
          condition: {},
          createdAt: new Date(),
          updatedAt: new Date(),
          analyzedAt: new Date(),
        },
      ],
    });
    const asked: string[] = [];
    const read = await listExternalFindings({
      ...input(),
      credentialsFor: async (account: string) => {
        asked.push(account);
        return delegated;
      },
    });
    expect(asked).toEqual(["333333333333"]);
    expect(read).toMatchObject({
      analyzer: "organization analyzer org of account 333333333333",
      scope: { kind: "organization", account: "333333333333" },
      findings: [{ id: "f-1", account: "222222222222" }],
    });
    expect(read.note).toBeUndefined();
  });

  it("falls back to the operator's account analyzer, saying where the organization's could not be read", async () => {
    org.on(ListDelegatedAdministratorsCommand).resolves({
      DelegatedAdministrators: [{ Id: "444444444444", Status: "ACTIVE" }],
    });
    aa.on(ListAnalyzersCommand, { type: "ACCOUNT" }).resolves({
      analyzers: [analyzer("mine", "ACCOUNT", "111111111111")],
    });
    aa.on(ListAnalyzersCommand, { type: "ORGANIZATION" }).resolves({ analyzers: [] });
    aa.on(ListFindingsCommand).resolves({ findings: [] });
    const read = await listExternalFindings(input());
    expect(read).toMatchObject({
      analyzer: "account analyzer mine of account 111111111111",
      scope: { kind: "account", account: "111111111111" },
    });
    expect(read.note).toContain(
      "the organization's analyzer is in Access Analyzer's delegated administrator 444444444444",
    );
    expect(read.note).toContain("run apply-rcp with that account's credentials");
  });
});
