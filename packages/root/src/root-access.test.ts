import {
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteVirtualMFADeviceCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListOrganizationsFeaturesCommand,
  ListSigningCertificatesCommand,
} from "@aws-sdk/client-iam";
import {
  ListAWSServiceAccessForOrganizationCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { AssumeRootCommand, STSClient } from "@aws-sdk/client-sts";
import {
  ClientFactory,
  createLogger,
  type Inventory,
  type OrgAccount,
  OrgwardenError,
} from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { auditMemberRoots } from "./audit-member-roots.js";
import { planRootEnable } from "./enable-root-access.js";
import {
  applyRootCredentialRemoval,
  planRootCredentialRemoval,
  remainsAfter,
  removalOutcome,
  removalSteps,
} from "./remove-root-credentials.js";
import { judgeRootCredentials, type RootCredentials } from "./root-credentials.js";
import { type RootAccessFeatures, readRootAccessFeatures } from "./root-features.js";
import { RootSessions } from "./root-sessions.js";

const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
const org = mockClient(OrganizationsClient);
afterEach(() => {
  sts.reset();
  iam.reset();
  org.reset();
});

const MANAGEMENT = "111111111111";
const OPERATOR = { accessKeyId: "OPERATOR", secretAccessKey: "operator-secret" };
const awsError = (name: string, message = name) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

function sessions(logger = createLogger({ level: "silent" }), now?: () => number) {
  return new RootSessions({
    factory: new ClientFactory({ region: "eu-west-1", maxAttempts: 1 }),
    operatorCredentials: OPERATOR,
    managementAccountId: MANAGEMENT,
    logger,
    ...(now ? { now } : {}),
  });
}

let sequence = 0;
function rootSession() {
  sequence += 1;
  return {
    Credentials: {
      AccessKeyId: `ASIAROOT${sequence}`,
      SecretAccessKey: `root-secret-${sequence}`,
      SessionToken: `root-token-${sequence}`,
      Expiration: new Date(Date.now() + 900_000),
    },
  };
}

const on: RootAccessFeatures = {
  trustedAccess: true,
  enabled: new Set(["RootCredentialsManagement", "RootSessions"]),
};
const none: RootCredentials = { password: null, accessKeys: [], signingCertificates: [], mfaDevices: [] };

describe("readRootAccessFeatures (iam:ListOrganizationsFeatures)", () => {
  const read = () =>
    readRootAccessFeatures({
      organizations: new OrganizationsClient({ region: "us-east-1" }),
      iam: new IAMClient({ region: "us-east-1" }),
    });

  it("trusted access off: IAM's ServiceAccessNotEnabledException means no feature, not a failure", async () => {
    org.on(ListAWSServiceAccessForOrganizationCommand).resolves({ EnabledServicePrincipals: [] });
    iam.on(ListOrganizationsFeaturesCommand).rejects(awsError("ServiceAccessNotEnabledException"));
    const f = await read();
    expect(f.trustedAccess).toBe(false);
    expect([...f.enabled]).toEqual([]);
    expect(planRootEnable(f).map((s) => (s.kind === "enable-feature" ? s.feature : s.kind))).toEqual([
      "enable-trusted-access",
      "RootCredentialsManagement",
      "RootSessions",
    ]);
  });

  it("reads the enabled features, and plans only what is missing", async () => {
    org.on(ListAWSServiceAccessForOrganizationCommand).resolves({
      EnabledServicePrincipals: [
        { ServicePrincipal: "config.amazonaws.com" },
        { ServicePrincipal: "iam.amazonaws.com" },
      ],
    });
    iam
      .on(ListOrganizationsFeaturesCommand)
      .resolves({ OrganizationId: "o-abc", EnabledFeatures: ["RootCredentialsManagement"] });
    const f = await read();
    expect(f.trustedAccess).toBe(true);
    expect(planRootEnable(f)).toEqual([{ kind: "enable-feature", feature: "RootSessions" }]);
    expect(planRootEnable(on)).toEqual([]);
  });

  it("a caller that is not the management account is ACCESS_DENIED with what to do", async () => {
    org.on(ListAWSServiceAccessForOrganizationCommand).resolves({ EnabledServicePrincipals: [] });
    iam
      .on(ListOrganizationsFeaturesCommand)
      .rejects(awsError("AccountNotManagementOrDelegatedAdministratorException"));
    await expect(read()).rejects.toMatchObject({
      code: "ACCESS_DENIED",
      hint: expect.stringContaining("management account"),
    });
  });
});

describe("RootSessions (sts:AssumeRoot)", () => {
  it("asks for the audit task policy, 900 s at most, one session per account and task, and never logs credentials", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "debug", destination: { write: (l: string) => lines.push(l) } });
    sts.on(AssumeRootCommand).callsFake(rootSession);
    iam.on(GetLoginProfileCommand).rejects(awsError("NoSuchEntityException"));
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    iam.on(ListSigningCertificatesCommand).resolves({ Certificates: [] });
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
    const s = sessions(logger);
    const accounts = [account("222222222222"), account("333333333333")];
    const rows = await auditMemberRoots({ accounts, features: on, sessions: s });
    await auditMemberRoots({ accounts, features: on, sessions: s });
    expect(rows.map((r) => r.status)).toEqual(["COMPLIANT", "COMPLIANT"]);
    const calls = sts.commandCalls(AssumeRootCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2); // the second audit reuses each account's session
    expect(calls[0]).toEqual({
      TargetPrincipal: "222222222222",
      TaskPolicyArn: { arn: "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials" },
      DurationSeconds: 900,
    });
    const log = lines.join("");
    expect(log).toContain("assuming root");
    expect(log).not.toMatch(/root-secret|root-token|operator-secret/);
  });

  it("forgets an account's sessions when told (a worker thread done with it); other accounts keep theirs", async () => {
    sts.on(AssumeRootCommand).callsFake(rootSession);
    iam.on(GetLoginProfileCommand).rejects(awsError("NoSuchEntityException"));
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    iam.on(ListSigningCertificatesCommand).resolves({ Certificates: [] });
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
    const s = sessions();
    const accounts = [account("222222222222"), account("333333333333")];
    await auditMemberRoots({ accounts, features: on, sessions: s });
    s.forget("222222222222");
    await auditMemberRoots({ accounts, features: on, sessions: s });
    const targets = sts.commandCalls(AssumeRootCommand).map((c) => c.args[0].input.TargetPrincipal);
    expect(targets.sort()).toEqual(["222222222222", "222222222222", "333333333333"]);
  });

  it("every request of a session signs with the same AssumeRoot credentials, replaced only a minute before they expire", async () => {
    // A fixed clock: the test never depends on wall time.
    let clock = Date.parse("2026-12-01T10:00:00Z");
    sts.on(AssumeRootCommand).callsFake(() => ({
      Credentials: {
        AccessKeyId: `ASIAROOT${sts.commandCalls(AssumeRootCommand).length}`,
        SecretAccessKey: "root-secret",
        SessionToken: "root-token",
        Expiration: new Date(clock + 900_000),
      },
    }));
    const s = sessions(undefined, () => clock);
    // What the SDK does before each request and each retry: ask the client's credential provider
    // (inside the request, where the factory's client knows the scope).
    let current: IAMClient | undefined;
    iam.on(GetLoginProfileCommand).callsFake(async () => {
      const provider = current?.config.credentials as () => Promise<{ accessKeyId: string }>;
      return { LoginProfile: { UserName: (await provider()).accessKeyId, CreateDate: new Date(clock) } };
    });
    const keyOf = (task: "IAMAuditRootUserCredentials" | "IAMDeleteRootUserCredentials") =>
      s.withIam("222222222222", task, async (client) => {
        current = client;
        const out = await Promise.all(
          [1, 2, 3, 4, 5, 6, 7, 8].map(() => client.send(new GetLoginProfileCommand({}))),
        );
        return [...new Set(out.map((o) => o.LoginProfile?.UserName))];
      });
    expect(await keyOf("IAMAuditRootUserCredentials")).toEqual(["ASIAROOT1"]);
    clock += 830_000; // 70 s left: still used
    expect(await keyOf("IAMAuditRootUserCredentials")).toEqual(["ASIAROOT1"]);
    // Another task is another session (its own task policy).
    expect(await keyOf("IAMDeleteRootUserCredentials")).toEqual(["ASIAROOT2"]);
    clock += 20_000; // 50 s left: replaced
    expect(await keyOf("IAMAuditRootUserCredentials")).toEqual(["ASIAROOT3"]);
    expect(sts.commandCalls(AssumeRootCommand)).toHaveLength(3);
  });

  it("refuses the management account without calling AWS, and a longer session at construction", async () => {
    await expect(
      sessions().withIam(MANAGEMENT, "IAMAuditRootUserCredentials", async () => 1),
    ).rejects.toMatchObject({
      code: "REFUSED",
    });
    expect(sts.commandCalls(AssumeRootCommand)).toHaveLength(0);
    expect(
      () =>
        new RootSessions({
          factory: new ClientFactory({ region: "eu-west-1" }),
          operatorCredentials: OPERATOR,
          managementAccountId: MANAGEMENT,
          durationSeconds: 3600,
        }),
    ).toThrow(OrgwardenError);
  });

  it("a denied AssumeRoot is that account's ERROR row naming the SCP exemption; the others go on", async () => {
    sts
      .on(AssumeRootCommand, { TargetPrincipal: "222222222222" })
      .rejects(awsError("AccessDenied", "not authorized"));
    sts.on(AssumeRootCommand, { TargetPrincipal: "333333333333" }).callsFake(rootSession);
    iam
      .on(GetLoginProfileCommand)
      .resolves({ LoginProfile: { UserName: "333333333333", CreateDate: new Date() } });
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    iam.on(ListSigningCertificatesCommand).resolves({ Certificates: [] });
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
    const rows = await auditMemberRoots({
      accounts: [
        account("222222222222"),
        account("333333333333"),
        account(MANAGEMENT),
        account("444444444444", "SUSPENDED"),
      ],
      features: on,
      sessions: sessions(),
    });
    expect(rows.map((r) => [r.account.id, r.status])).toEqual([
      ["222222222222", "ERROR"],
      ["333333333333", "NON_COMPLIANT"],
      [MANAGEMENT, "NOT_APPLICABLE"],
      ["444444444444", "SKIPPED"],
    ]);
    expect(rows[0]?.reason).toMatch(/AssumeRoot.*aws:AssumedRoot/s);
    expect(rows[1]?.reason).toContain("a password");
  });
});

describe("what is removed, in which order", () => {
  const full: RootCredentials = {
    password: { createDate: undefined },
    accessKeys: [
      { id: "AKIA1", status: "Active" },
      { id: "AKIA2", status: "Inactive" },
    ],
    signingCertificates: [{ id: "CERT1", status: "Active" }],
    mfaDevices: [{ serial: "arn:aws:iam::222222222222:mfa/root" }, { serial: "GAHT12345678" }],
  };

  // IAMDeleteRootUserCredentials denies its actions on any resource but arn:aws:iam::*:root, and
  // DeleteVirtualMFADevice acts on the device's own ARN: deactivating is all the session may do.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/security-iam-awsmanpol.html
  it("keys and certificates, then the password, then each MFA device (deactivated, never deleted)", () => {
    expect(removalSteps(full, false).map((s) => s.kind)).toEqual([
      "delete-access-key",
      "delete-access-key",
      "delete-signing-certificate",
      "delete-login-profile",
      "deactivate-mfa-device",
      "deactivate-mfa-device",
    ]);
    expect(removalSteps(full, true).some((s) => s.kind.includes("mfa"))).toBe(false);
    expect(removalSteps(none, false)).toEqual([]);
  });

  it("root-credentials-present: MFA alone is not a credential; what remains is named", () => {
    expect(judgeRootCredentials(none).status).toBe("COMPLIANT");
    expect(judgeRootCredentials({ ...none, mfaDevices: [{ serial: "GAHT1" }] })).toMatchObject({
      status: "COMPLIANT",
      reason: expect.stringContaining("1 MFA device still assigned"),
    });
    expect(judgeRootCredentials(full)).toMatchObject({
      status: "NON_COMPLIANT",
      reason: expect.stringContaining(
        "a password, 2 access keys (1 active), 1 signing certificate (1 active), 2 MFA devices",
      ),
    });
  });

  it("refuses when RootCredentialsManagement is off, naming root enable", async () => {
    await expect(
      planRootCredentialRemoval({
        inventory: inventory([account("222222222222")]),
        targetId: "222222222222",
        features: { trustedAccess: true, enabled: new Set(["RootSessions"]) },
        sessions: sessions(),
        keepMfa: false,
      }),
    ).rejects.toMatchObject({ code: "REFUSED", hint: expect.stringContaining("orgwarden root enable") });
    expect(sts.commandCalls(AssumeRootCommand)).toHaveLength(0);
  });

  function auditShows(c: { password?: boolean; keys?: string[]; mfa?: string[] }) {
    iam.reset();
    if (c.password)
      iam.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: "x", CreateDate: new Date() } });
    else iam.on(GetLoginProfileCommand).rejects(awsError("NoSuchEntityException"));
    iam.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: (c.keys ?? []).map((k) => ({ AccessKeyId: k, Status: "Active" })),
    });
    iam.on(ListSigningCertificatesCommand).resolves({ Certificates: [] });
    iam.on(ListMFADevicesCommand).resolves({
      MFADevices: (c.mfa ?? []).map((m) => ({ UserName: "root", SerialNumber: m, EnableDate: new Date() })),
    });
  }
  const planFor = (s: RootSessions) =>
    planRootCredentialRemoval({
      inventory: inventory([account("222222222222")]),
      targetId: "222222222222",
      features: on,
      sessions: s,
      keepMfa: false,
    });

  it("deletes in a session under IAMDeleteRootUserCredentials; already gone counts as done; MFA goes last", async () => {
    sts.on(AssumeRootCommand).callsFake(rootSession);
    auditShows({ password: true, keys: ["AKIA1"], mfa: ["arn:aws:iam::222222222222:mfa/root"] });
    const s = sessions();
    const plan = await planFor(s);
    expect(plan.changes).toBe(3);
    // By the time of the MFA step, nothing it guards is left.
    auditShows({});
    iam.on(DeleteAccessKeyCommand).rejects(awsError("NoSuchEntityException"));
    iam.on(DeleteLoginProfileCommand).resolves({});
    iam.on(DeactivateMFADeviceCommand).resolves({});
    const [result] = await applyRootCredentialRemoval(plan, { sessions: s });
    if (!result?.ok) throw new Error("expected a result");
    expect(result.value.done.map((d) => d.kind)).toEqual(["delete-login-profile", "deactivate-mfa-device"]);
    expect(result.value.alreadyAbsent.map((d) => d.kind)).toEqual(["delete-access-key"]);
    expect(remainsAfter(result.value, false)).toBe(false);
    expect(iam.commandCalls(DeleteVirtualMFADeviceCommand)).toHaveLength(0);
    expect(sts.commandCalls(AssumeRootCommand).at(-1)?.args[0].input.TaskPolicyArn).toEqual({
      arn: "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials",
    });
    expect(iam.commandCalls(DeleteLoginProfileCommand)[0]?.args[0].input).toEqual({});
  });

  it("keeps MFA on when a credential it guards is still there at that moment (e.g. a password set since the plan)", async () => {
    sts.on(AssumeRootCommand).callsFake(rootSession);
    auditShows({ keys: ["AKIA1"], mfa: ["GAHT1"] });
    const s = sessions();
    const plan = await planFor(s);
    auditShows({ password: true, mfa: ["GAHT1"] });
    iam.on(DeleteAccessKeyCommand).resolves({});
    const [result] = await applyRootCredentialRemoval(plan, { sessions: s });
    if (!result?.ok) throw new Error("expected a result");
    expect(result.value.keptMfa.map((d) => d.kind)).toEqual(["deactivate-mfa-device"]);
    expect(result.value.keptMfaBecause).toBe("credentials-left");
    expect(iam.commandCalls(DeactivateMFADeviceCommand)).toHaveLength(0);
    expect(remainsAfter(result.value, false)).toBe(true);
  });

  it("a step that fails stops that account, keeps what was done, and says which step", async () => {
    sts.on(AssumeRootCommand).callsFake(rootSession);
    auditShows({ password: true, keys: ["AKIA1", "AKIA2"] });
    const s = sessions();
    const plan = await planFor(s);
    iam.on(DeleteAccessKeyCommand, { AccessKeyId: "AKIA1" }).resolves({});
    iam
      .on(DeleteAccessKeyCommand, { AccessKeyId: "AKIA2" })
      .rejects(awsError("LimitExceededException", "slow down"));
    const [result] = await applyRootCredentialRemoval(plan, { sessions: s });
    if (!result?.ok) throw new Error("expected a result");
    expect(result.value.done).toEqual([
      { kind: "delete-access-key", accessKeyId: "AKIA1", status: "Active" },
    ]);
    expect(result.value.failed).toMatchObject({
      step: { accessKeyId: "AKIA2" },
      reason: expect.stringContaining("slow down"),
    });
    expect(iam.commandCalls(DeleteLoginProfileCommand)).toHaveLength(0);
    expect(remainsAfter(result.value, false)).toBe(true);
  });

  it("a read-back that fails after the deletions keeps what was deleted: the account is PARTIAL, not a bare ERROR", async () => {
    sts.on(AssumeRootCommand).callsFake(rootSession);
    auditShows({ password: true, keys: ["AKIA1"] });
    const s = sessions();
    const plan = await planFor(s);
    iam.on(DeleteAccessKeyCommand).resolves({});
    iam.on(DeleteLoginProfileCommand).resolves({});
    // The confirming read is throttled past the SDK's retries.
    iam.on(ListAccessKeysCommand).rejects(awsError("Throttling", "Rate exceeded"));
    const [result] = await applyRootCredentialRemoval(plan, { sessions: s });
    if (!result?.ok) throw new Error(`expected the deletions to be kept, got ${String(result)}`);
    expect(result.value.done.map((d) => d.kind)).toEqual(["delete-access-key", "delete-login-profile"]);
    expect(result.value.after).toBeUndefined();
    expect(result.value.unconfirmed).toContain("Rate exceeded");
    expect(remainsAfter(result.value, false)).toBe(true);
    expect(removalOutcome(result, false)).toMatchObject({
      status: "PARTIAL",
      removed: [{ kind: "delete-access-key", accessKeyId: "AKIA1" }, { kind: "delete-login-profile" }],
      reason: expect.stringContaining("could not read the root user back to confirm"),
    });
  });

  it("the MFA check before deactivating fails: MFA stays on (the safe side) and the deletions are kept", async () => {
    sts.on(AssumeRootCommand).callsFake(rootSession);
    auditShows({ keys: ["AKIA1"], mfa: ["GAHT1"] });
    const s = sessions();
    const plan = await planFor(s);
    iam.on(DeleteAccessKeyCommand).resolves({});
    iam
      .on(ListMFADevicesCommand)
      .rejects(awsError("ExpiredTokenException", "The security token included in the request is expired"));
    const [result] = await applyRootCredentialRemoval(plan, { sessions: s });
    if (!result?.ok) throw new Error("expected a result");
    expect(result.value.done.map((d) => d.kind)).toEqual(["delete-access-key"]);
    expect(result.value.keptMfa.map((d) => d.kind)).toEqual(["deactivate-mfa-device"]);
    // Not "credentials were left": nothing could be read, so MFA stays on the safe side.
    expect(result.value.keptMfaBecause).toBe("unread");
    expect(iam.commandCalls(DeactivateMFADeviceCommand)).toHaveLength(0);
    expect(removalOutcome(result, false).status).toBe("PARTIAL");
  });

  it("outcomes: DONE when nothing is left, ERROR when nothing was removed", async () => {
    sts.on(AssumeRootCommand).callsFake(rootSession);
    auditShows({ keys: ["AKIA1"] });
    const s = sessions();
    const plan = await planFor(s);
    iam.on(DeleteAccessKeyCommand).rejects(awsError("AccessDenied", "denied"));
    const [failed] = await applyRootCredentialRemoval(plan, { sessions: s });
    if (!failed) throw new Error("expected a result");
    expect(removalOutcome(failed, false)).toMatchObject({ status: "ERROR", removed: [] });
    auditShows({});
    iam.on(DeleteAccessKeyCommand).resolves({});
    const [done] = await applyRootCredentialRemoval(plan, { sessions: s });
    if (!done) throw new Error("expected a result");
    expect(removalOutcome(done, false)).toMatchObject({
      status: "DONE",
      removed: [{ accessKeyId: "AKIA1" }],
    });
  });

  it("the organization root is refused unless allowed, with the caller's own way to allow it", async () => {
    await expect(
      planRootCredentialRemoval({
        inventory: inventory([account("222222222222")]),
        targetId: "Root",
        features: on,
        sessions: sessions(),
        keepMfa: false,
        allowRootHint: "Set allowRoot: true",
      }),
    ).rejects.toMatchObject({ code: "REFUSED", hint: "Set allowRoot: true" });
    expect(sts.commandCalls(AssumeRootCommand)).toHaveLength(0);
  });
});

function account(id: string, state: OrgAccount["state"] = "ACTIVE"): OrgAccount {
  return {
    id,
    name: `acct-${id.slice(-4)}`,
    email: `${id}@example.com`,
    arn: `arn:aws:organizations::${MANAGEMENT}:account/o-abc/${id}`,
    state,
    parentId: "r-root",
    ouPath: "Root",
    isManagement: id === MANAGEMENT,
  };
}

function inventory(accounts: OrgAccount[]): Inventory {
  return {
    organizationId: "o-abc",
    partition: "aws",
    managementAccountId: MANAGEMENT,
    featureSet: "ALL",
    rootId: "r-root",
    scpPolicyType: "ENABLED",
    units: new Map([
      [
        "r-root",
        {
          id: "r-root",
          name: "Root",
          kind: "root",
          parentId: undefined,
          path: "Root",
          depth: 0,
          childOuIds: [],
          accountIds: accounts.map((a) => a.id),
        },
      ],
    ]),
    accounts,
    scps: new Map(),
    scpAttachments: new Map(),
    scpTargetsRead: "all",
  };
}
