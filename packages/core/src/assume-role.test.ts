import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { RoleAssumer } from "./assume-role.js";
import { ClientFactory } from "./client-factory.js";

const sts = mockClient(STSClient);
afterEach(() => sts.reset());

function assumer(now: () => number, externalId?: string) {
  return new RoleAssumer({
    factory: new ClientFactory({ region: "eu-west-1" }),
    operatorCredentials: { accessKeyId: "OPERATOR", secretAccessKey: "x" },
    managementAccountId: "111111111111",
    externalId,
    now,
  });
}

function creds(expiresAt: number) {
  return {
    Credentials: {
      AccessKeyId: `ASIA${expiresAt}`,
      SecretAccessKey: "s",
      SessionToken: "t",
      Expiration: new Date(expiresAt),
    },
  };
}

describe("RoleAssumer", () => {
  it("assumes once per account, one hour at most, and reuses until 5 minutes before expiry", async () => {
    let now = 1_000_000;
    sts.on(AssumeRoleCommand).callsFake(() => creds(now + 3_600_000));
    const a = assumer(() => now, "ext-123");
    const first = await a.credentialsFor("222222222222");
    await a.credentialsFor("222222222222");
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    const input = sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      RoleArn: "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole",
      DurationSeconds: 3600,
      ExternalId: "ext-123",
    });
    expect(input?.RoleSessionName).toMatch(/^orgwarden-/);
    now += 3_600_000 - 4 * 60_000; // 4 minutes left: refresh
    const second = await a.credentialsFor("222222222222");
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
  });

  it("uses the operator's credentials for the management account", async () => {
    const a = assumer(() => 0);
    expect((await a.credentialsFor("111111111111")).accessKeyId).toBe("OPERATOR");
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it("turns AccessDenied into ASSUME_ROLE_FAILED with a hint, and does not ask again", async () => {
    const denied = Object.assign(new Error("not authorized to perform sts:AssumeRole"), {
      name: "AccessDenied",
      $fault: "client",
      $metadata: { httpStatusCode: 403, requestId: "req-1" },
    });
    sts.on(AssumeRoleCommand).rejects(denied);
    const a = assumer(() => 0);
    await expect(a.credentialsFor("333333333333")).rejects.toMatchObject({
      code: "ASSUME_ROLE_FAILED",
      hint: expect.stringContaining("OrganizationAccountAccessRole exists in account 333333333333"),
    });
    await expect(a.credentialsFor("333333333333")).rejects.toMatchObject({ code: "ASSUME_ROLE_FAILED" });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it("forgets an account's credentials when told (a worker thread done with the account): the next use assumes again", async () => {
    sts.on(AssumeRoleCommand).callsFake(() => creds(Date.now() + 3_600_000));
    const a = assumer(() => 0);
    await a.credentialsFor("222222222222");
    await a.credentialsFor("444444444444");
    a.forget("222222222222");
    await a.credentialsFor("444444444444");
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    await a.credentialsFor("222222222222");
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(3);
  });

  it("keeps the management account's credentials when told to forget them (an aggregator's reads act as it for every account)", async () => {
    sts.on(AssumeRoleCommand).callsFake(() => creds(Date.now() + 3_600_000));
    // Run from a delegated administrator: the management account is reached through its role.
    const a = new RoleAssumer({
      factory: new ClientFactory({ region: "eu-west-1" }),
      operatorCredentials: { accessKeyId: "OPERATOR", secretAccessKey: "x" },
      managementAccountId: "111111111111",
      operatorAccountId: "999999999999",
      now: () => 0,
    });
    await a.credentialsFor("111111111111");
    expect(a.held).toBe(1);
    a.forget("111111111111");
    await a.credentialsFor("111111111111");
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(a.held).toBe(1);
  });
});
