import { ApiCallCounter, buildInventory, ClientFactory, fanOut, RoleAssumer } from "@orgwarden/core";
import { type AwsProxy, nestedLayout, startAwsProxy } from "@orgwarden/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CREDENTIALS } from "./support/aws-env.js";
import { useEmulatorOrg } from "./support/emulator-org.js";

let proxy: AwsProxy;
let denied: string[];

const { moto, org } = useEmulatorOrg(nestedLayout(30, 3));
beforeAll(async () => {
  denied = org.accounts.filter((_, i) => i % 7 === 3).map((a) => a.id);
  proxy = await startAwsProxy({ target: moto.endpoint, denyAssumeRoleInto: denied });
});
afterAll(async () => {
  await proxy?.stop();
});

describe("fan-out over member accounts", () => {
  it("returns exactly one result per account, in order, when some AssumeRole calls fail", async () => {
    const counter = new ApiCallCounter();
    const factory = new ClientFactory({
      region: "us-east-1",
      endpoint: proxy.endpoint,
      callCounter: counter,
      maxAttempts: 2,
    });
    const inventory = await buildInventory({ organizations: factory.organizations(TEST_CREDENTIALS) });
    const assumer = new RoleAssumer({
      factory,
      operatorCredentials: TEST_CREDENTIALS,
      managementAccountId: inventory.managementAccountId,
    });
    const progress: number[] = [];
    const results = await fanOut(
      inventory.accounts,
      async (account) => (await assumer.credentialsFor(account.id)).accessKeyId,
      { concurrency: 5, onProgress: (done) => progress.push(done) },
    );
    expect(results.map((r) => r.account.id)).toEqual(inventory.accounts.map((a) => a.id));
    const failed = results.filter((r) => !r.ok);
    expect(failed.map((r) => r.account.id).sort()).toEqual([...denied].sort());
    for (const r of failed) {
      if (r.ok) continue;
      expect(r.error.code).toBe("ASSUME_ROLE_FAILED");
      expect(r.error.message).toContain(`arn:aws:iam::${r.account.id}:role/OrganizationAccountAccessRole`);
      expect(r.error.hint).toContain("trusts the management account");
    }
    expect(progress).toHaveLength(inventory.accounts.length);
    // The management account is served with the operator's credentials: no AssumeRole for it.
    const mgmt = results.find((r) => r.account.id === inventory.managementAccountId);
    expect(mgmt?.ok && mgmt.value).toBe("testing");
    // One AssumeRole per member account, failures included, and none repeated on a second pass.
    await fanOut(inventory.accounts, (a) => assumer.credentialsFor(a.id), { concurrency: 5 });
    expect(counter.byOperation()["STS.AssumeRole"]).toBe(inventory.accounts.length - 1);
    factory.destroy();
  });
});
