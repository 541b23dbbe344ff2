import {
  createConsoleUser,
  createDetector,
  createMfaPolicy,
  createTrail,
  enableCentralizedRootAccess,
  evaluateConfigRules,
  seedRootCredentials,
  setPasswordPolicy,
  startRecorder,
} from "./seed-member-state.js";
import { type SeededOrg, seedOrganization } from "./seed-organization.js";
import { seedDemoPolicies } from "./seed-policies.js";

const STRONG = {
  MinimumPasswordLength: 14,
  PasswordReusePrevention: 24,
  MaxPasswordAge: 90,
  RequireSymbols: true,
  RequireNumbers: true,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
};
const WEAK = { ...STRONG, MinimumPasswordLength: 6, RequireSymbols: false };

/**
 * Accounts set up the way the report wants every account: so the page shows what good looks like
 * beside what fails. They sit under Root/Workloads, where the demo enforces both SCPs.
 */
export const DEMO_COMPLIANT_ACCOUNTS: readonly string[] = [
  "workloads-prod-01",
  "workloads-prod-payments-01",
  "workloads-prod-payments-02",
];

/** The regions the demo's run judges regional controls in (its connection.regions). */
const DEMO_REGIONS = ["us-east-1", "eu-west-1"];

/**
 * Every control passing: a strong password policy, a console user with MFA whose group has the
 * MFA policy, a logging multi-region trail, GuardDuty and AWS Config recording (with the
 * service-linked role, global types in the home region) in every region judged, no root credentials.
 */
async function seedCompliantAccount(endpoint: string, accountId: string): Promise<void> {
  await setPasswordPolicy(endpoint, accountId, STRONG);
  await createConsoleUser(endpoint, accountId, "alice", true);
  await createMfaPolicy(endpoint, accountId, "alice");
  await createTrail(endpoint, accountId, true, true);
  for (const region of DEMO_REGIONS) {
    await startRecorder(endpoint, accountId, region);
    await createDetector(endpoint, accountId, region);
  }
}

/**
 * The demo's sample organization: OUs nested 3 deep, 20 member accounts in mixed states, so the
 * report has something to say (strong, weak and absent password policies; users with and without
 * MFA; the MFA policy attached, unattached and absent; trails, detectors and recorders in some
 * accounts; one suspended account; centralized root access on, with root credentials left behind
 * in a few workload and sandbox accounts), and three accounts where every control passes. AWS
 * Config evaluates the rules the demo deploys from that same state, so the report has Config
 * results next to the direct checks; and policies of every owner and several types beside
 * orgwarden's (seed-policies.ts), for `orgwarden policies`.
 */
export async function seedDemoOrganization(
  endpoint: string,
  onStep: (line: string) => void = () => {},
): Promise<SeededOrg> {
  onStep("creating the organization: OUs nested 3 deep, 20 member accounts");
  const org = await seedOrganization(endpoint, {
    ous: {
      Root: 0,
      "Root/Security": 2,
      "Root/Workloads": 1,
      "Root/Workloads/Prod": 4,
      "Root/Workloads/Prod/Payments": 3,
      "Root/Workloads/Dev": 4,
      "Root/Sandbox": 6,
    },
    suspend: ["sandbox-06"],
  });
  onStep("putting the member accounts in mixed states");
  const active = org.accounts.filter((a) => a.state === "ACTIVE");
  for (const [i, a] of active.entries()) {
    if (DEMO_COMPLIANT_ACCOUNTS.includes(a.name)) {
      await seedCompliantAccount(endpoint, a.id);
      await seedRootCredentials(endpoint, a.id, {});
      continue;
    }
    const inWorkloads = a.ouPath.startsWith("Root/Workloads");
    if (inWorkloads || a.ouPath === "Root/Security") {
      // Two workload accounts never turned AWS Config on: deploy-rules skips them with that reason.
      if (!a.name.endsWith("dev-04") && !a.name.endsWith("payments-03")) await startRecorder(endpoint, a.id);
    }
    if (i % 3 === 0) await setPasswordPolicy(endpoint, a.id, STRONG);
    else if (i % 3 === 1) await setPasswordPolicy(endpoint, a.id, WEAK);
    if (i % 2 === 0) {
      await createConsoleUser(endpoint, a.id, "alice", true);
      await createMfaPolicy(endpoint, a.id, i % 4 === 0 ? "alice" : undefined);
    } else if (i % 5 === 0) {
      await createConsoleUser(endpoint, a.id, "bob", false);
    }
    if (a.ouPath === "Root/Security" || a.ouPath === "Root/Workloads/Prod/Payments") {
      await createTrail(endpoint, a.id, true, true);
      await createDetector(endpoint, a.id);
    }
    // Root credentials from before centralized root access: the run removes the workload ones and
    // reports the sandbox ones.
    if (i % 5 === 2)
      await seedRootCredentials(endpoint, a.id, {
        password: true,
        accessKeys: ["Active"],
        mfaDevices: ["virtual"],
      });
    else if (i % 7 === 3)
      await seedRootCredentials(endpoint, a.id, { password: true, mfaDevices: ["hardware"] });
    // The rest have none, as an account made with CreateAccount has none until someone recovers
    // its root password; seeded, so GetAccountSummary reports that, as AWS does for every account.
    else await seedRootCredentials(endpoint, a.id, {});
  }
  // The management account's root user keeps its password, behind a hardware MFA device, as AWS
  // advises: centralized root access covers member accounts only.
  await seedRootCredentials(endpoint, org.managementAccountId, { password: true, mfaDevices: ["hardware"] });
  onStep(
    "turning on centralized root access (trusted access for IAM, root credentials management, root sessions)",
  );
  await enableCentralizedRootAccess(endpoint);
  await evaluateConfigRules(endpoint);
  onStep(
    "attaching other owners' policies: a Control Tower guardrail, a Landing Zone Accelerator SCP, an AWS service's SCP, tag, backup, S3 and declarative EC2 policies",
  );
  await seedDemoPolicies(endpoint, org);
  return org;
}
