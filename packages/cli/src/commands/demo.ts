import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { OrgwardenError } from "@orgwarden/core";
import {
  impactJob,
  impactSettings,
  openSession,
  runJob,
  runPoliciesJob,
  validateRunConfig,
  writeFileAtomic,
} from "@orgwarden/job";
import { loadPolicyLibrary } from "@orgwarden/scp";
import type { Command } from "commander";
import { stringify } from "yaml";
import type { ActionFactory, CommandContext } from "../command.js";
import { jobHooks } from "../output/job-hooks.js";
import { renderImpact } from "../output/render-impact.js";
import { renderPoliciesTable } from "../output/render-policies.js";
import { renderRunSummary } from "../output/render-run-summary.js";

export interface DemoFlags {
  outDir?: string;
}

/**
 * `orgwarden demo`: the first thing a newcomer runs. Starts moto on a free loopback port, seeds a
 * sample organization, writes orgwarden.yaml and runs the scheduled job on it (SCPs and RCPs enforced
 * on Workloads and detected on Sandbox, Config rules deployed, report written), shows every policy
 * type with its owners and slots, then stops moto.
 */
export async function runDemo(ctx: CommandContext, flags: DemoFlags): Promise<number> {
  const out = ctx.io.stdout;
  const say = (line: string) => out.write(`demo: ${line}\n`);
  const dir = resolve(flags.outDir ?? "orgwarden-demo");
  const started = Date.now();
  // The emulator (moto, stand-ins, seeding) is loaded only here: no other command pays for it.
  const {
    EMULATOR_CREDENTIALS,
    installMoto,
    MOTO_INSTALL_HINT,
    seedDemoActivity,
    seedDemoOrganization,
    startMoto,
  } = await import("@orgwarden/emulator");
  if (!installMoto(say)) {
    throw new OrgwardenError(
      "EMULATOR",
      "the demo needs moto_server (the local AWS emulator) and pip could not install it",
      {
        hint: MOTO_INSTALL_HINT,
      },
    );
  }
  const moto = await startMoto();
  say(`AWS emulator (moto) listening on ${moto.endpoint}`);
  try {
    const org = await seedDemoOrganization(moto.endpoint, say);
    const ciAccount = await seedDemoActivity(moto.endpoint, org);
    say(
      `recorded activity: a day of CloudTrail events in account ${ciAccount} (Root/Workloads), among them a CI user's access keys deploying`,
    );
    mkdirSync(dir, { recursive: true });
    const config = {
      // Two regions: the report judges GuardDuty and the Config recorder in each.
      connection: {
        region: "us-east-1",
        regions: ["us-east-1", "eu-west-1"],
        endpointUrl: moto.endpoint,
        concurrency: 8,
      },
      exemptPrincipals: ["arn:aws:iam::*:role/BreakGlass"],
      scp: [
        { ou: org.ouIds["Root/Workloads"], policies: ["require-mfa", "deny-root-user"], mode: "enforce" },
        { ou: org.ouIds["Root/Sandbox"], policies: ["require-mfa"], mode: "detect" },
      ],
      // The data perimeter on member resources: enforced on the workloads, drift-checked on the sandbox.
      trustedOidcProviders: ["token.actions.githubusercontent.com=repo:example-org/*"],
      rcp: [
        {
          ou: org.ouIds["Root/Workloads"],
          policies: ["identity-perimeter", "confused-deputy", "secure-transport", "trusted-oidc-providers"],
          mode: "enforce",
        },
        { ou: org.ouIds["Root/Sandbox"], mode: "detect" },
      ],
      // Centralized root access: remove what the workload accounts' root users still have; report the sandbox's.
      root: [
        { ou: org.ouIds["Root/Workloads"], mode: "enforce" },
        { ou: org.ouIds["Root/Sandbox"], mode: "detect" },
      ],
      rules: [
        {
          ou: org.ouIds["Root/Workloads"],
          rules: ["iam-policy-in-use", "root-account-mfa-enabled"],
          ensureIamPolicy: true,
        },
      ],
      // moto evaluates no Config rules: the emulator's stand-in does, from the seeded state.
      report: {
        sources: ["check", "config", "scp"],
        formats: ["csv", "json", "html"],
        outputDir: dir,
        failOn: "none",
      },
    };
    const configFile = `${dir}/orgwarden.yaml`;
    writeFileAtomic(configFile, `# written by orgwarden demo\n${stringify(config)}`, {
      what: "the demo's config",
    });
    say(`wrote ${configFile}; running the job of orgwarden run --config ${configFile}`);
    const { config: runConfig, problems } = validateRunConfig(config);
    if (!runConfig)
      throw new OrgwardenError("INTERNAL", `the demo's config is invalid: ${JSON.stringify(problems)}`);
    const c = runConfig.connection;
    const session = openSession(
      {
        ...ctx.options,
        region: c.region ?? "us-east-1",
        endpointUrl: moto.endpoint,
        concurrency: c.concurrency,
      },
      { logger: ctx.logger, operatorCredentials: EMULATOR_CREDENTIALS },
    );
    let code: number;
    try {
      // What would require-mfa break? The recorded activity judged before the job enforces it.
      say(`orgwarden impact --ou Root/Workloads --policy require-mfa --regions ${c.regions?.join(",")}`);
      const impact = await impactJob(
        session,
        impactSettings(
          {
            ou: "Root/Workloads",
            policy: ["require-mfa"],
            regions: c.regions?.join(","),
          },
          { roleName: session.options.roleName, region: session.options.region },
          runConfig,
          new Date(),
        ),
        loadPolicyLibrary(),
      );
      ctx.io.stdout.write(renderImpact(impact, ctx.paint, ctx.io.columns));
      say(
        "on your organization, apply-scp --impact would stop here (exit 5) until the CI user is fixed or exempted; the demo's job enforces require-mfa anyway",
      );
      const summary = await runJob(runConfig, { session, hooks: jobHooks(ctx) });
      ctx.io.stdout.write(renderRunSummary(summary));
      code = summary.exitCode;
      // Every policy type once the job has attached orgwarden's: owners, slots, invalid effective policies.
      say("orgwarden policies");
      const { overview } = await runPoliciesJob(session, {});
      ctx.io.stdout.write(renderPoliciesTable(overview, ctx.io.columns));
    } finally {
      session.close();
    }
    say(
      `done in ${((Date.now() - started) / 1000).toFixed(1)} s. Open ${dir}/latest.html in a browser; ${dir}/latest.csv is the auditors' file.`,
    );
    return code;
  } finally {
    await moto.stop();
    say("emulator stopped");
  }
}

export function registerDemo(program: Command, action: ActionFactory): void {
  program
    .command("demo")
    .description(
      "start a local AWS emulator, seed a sample organization, run the whole flow, write the reports",
    )
    .option("--out-dir <dir>", "where the reports and orgwarden.yaml go", "orgwarden-demo")
    .action(action(runDemo));
}
