import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateAccountCommand, MoveAccountCommand } from "@aws-sdk/client-organizations";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import {
  createConsoleUser,
  EMULATOR_CREDENTIALS,
  orgClient,
  type SeededAccount,
  setPasswordPolicy,
} from "@orgwarden/emulator";
import type { ReportChanges } from "@orgwarden/report";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { STRONG_PASSWORD_POLICY } from "./support/password-policies.js";
import { runCli } from "./support/run-cli.js";

/**
 * `run` twice with a change between: changes.json and changes.txt say what was added, what became
 * NON_COMPLIANT and what was fixed; notify.snsTopicArn gets the summary (moto's SNS delivers it to an
 * SQS queue, read here) when something got worse, and nothing when nothing did.
 */
let sqs: SQSClient;
let queueUrl: string;
let topicArn: string;
const dir = mkdtempSync(join(tmpdir(), "orgwarden-changes-"));
const reports = join(dir, "reports");
let users: SeededAccount;
let password: SeededAccount;

const { moto, org } = useEmulatorOrg({ ous: { Root: 0, "Root/Workloads": 3 } });
beforeAll(async () => {
  [users, password] = org.accounts as [SeededAccount, SeededAccount];
  await setPasswordPolicy(moto.endpoint, password.id, {
    MinimumPasswordLength: 6,
    RequireSymbols: false,
    RequireNumbers: true,
    RequireUppercaseCharacters: true,
    RequireLowercaseCharacters: true,
  });
  const client = { endpoint: moto.endpoint, region: "us-east-1", credentials: EMULATOR_CREDENTIALS };
  const sns = new SNSClient(client);
  sqs = new SQSClient(client);
  topicArn = (await sns.send(new CreateTopicCommand({ Name: "orgwarden-changes" }))).TopicArn as string;
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "inbox" }))).QueueUrl as string;
  const queueArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }))
  ).Attributes?.QueueArn;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queueArn }));
  sns.destroy();
}, 120_000);
afterAll(async () => {
  sqs?.destroy();
});

function config(extra: Record<string, unknown> = {}): string {
  const file = join(dir, "orgwarden.yaml");
  writeFileSync(
    file,
    stringify({
      connection: { region: "us-east-1", regions: ["us-east-1"], endpointUrl: moto.endpoint },
      report: {
        ou: org.ouIds["Root/Workloads"],
        sources: ["check"],
        formats: ["json", "html"],
        outputDir: reports,
      },
      notify: { snsTopicArn: topicArn, reportUrl: "s3://evidence/reports/latest.html" },
      ...extra,
    }),
  );
  return file;
}

async function inbox(): Promise<Array<{ Subject: string; Message: string }>> {
  const out = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  const messages = out.Messages ?? [];
  // Read once: deleted, so a slow next run never sees them again when their visibility times out.
  if (messages.length > 0)
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
      }),
    );
  return messages.map((m) => JSON.parse(m.Body as string) as { Subject: string; Message: string });
}

const changes = () => JSON.parse(readFileSync(join(reports, "changes.json"), "utf8")) as ReportChanges;

describe("orgwarden run: what changed since the last run", () => {
  it("the first run has nothing to compare with: no changes.json, no message", async () => {
    const res = await runCli(["run", "--config", config()]);
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(join(reports, "latest.json"))).toBe(true);
    expect(existsSync(join(reports, "changes.json"))).toBe(false);
    expect(await inbox()).toEqual([]);
  });

  it("after a change: the delta (added, became NON_COMPLIANT, fixed), the text, the page, and one SNS message", async () => {
    // A console user without MFA; a password policy fixed; a new account in the OU.
    await createConsoleUser(moto.endpoint, users.id, "mallory", false);
    await setPasswordPolicy(moto.endpoint, password.id, STRONG_PASSWORD_POLICY);
    const client = orgClient(moto.endpoint);
    const made = await client.send(
      new CreateAccountCommand({ AccountName: "workloads-new", Email: "new@example.com" }),
    );
    const newId = made.CreateAccountStatus?.AccountId as string;
    await client.send(
      new MoveAccountCommand({
        AccountId: newId,
        SourceParentId: org.rootId,
        DestinationParentId: org.ouIds["Root/Workloads"],
      }),
    );
    client.destroy();

    const res = await runCli(["run", "--config", config()]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(
      /since the last run \(.+\): \d+ row\(s\) became NON_COMPLIANT, 1 fixed, 1 account\(s\) added, 0 removed; published to SNS/,
    );

    const c = changes();
    expect(c.accountsAdded.map((a) => a.accountId)).toEqual([newId]);
    expect(c.accountsRemoved).toEqual([]);
    const mallory = c.becameNonCompliant.find((r) => r.accountId === users.id);
    expect(mallory).toMatchObject({ control: "iam-user-mfa", from: "NOT_APPLICABLE", to: "NON_COMPLIANT" });
    expect(mallory?.reason).toContain("mallory");
    // The new account's failures are new rows.
    expect(c.becameNonCompliant.filter((r) => r.accountId === newId).every((r) => r.from === null)).toBe(
      true,
    );
    expect(c.fixed).toEqual([
      expect.objectContaining({
        accountId: password.id,
        control: "password-policy",
        from: "NON_COMPLIANT",
        to: "COMPLIANT",
      }),
    ]);
    expect(c.worse).toBe(true);

    const text = readFileSync(join(reports, "changes.txt"), "utf8");
    expect(text).toContain("Became NON_COMPLIANT");
    expect(text).toContain("mallory");
    const page = readFileSync(join(reports, "latest.html"), "utf8");
    expect(page.slice(page.indexOf('<section id="changes">'))).toContain("mallory");

    const [message, ...more] = await inbox();
    expect(more).toEqual([]);
    expect(message?.Subject).toMatch(
      new RegExp(`^orgwarden: ${org.organizationId} got worse: \\d+ new NON_COMPLIANT$`),
    );
    expect(message?.Message).toContain(`${users.name} (${users.id}, Root/Workloads) iam-user-mfa [check]`);
    expect(message?.Message).toContain("(was NOT_APPLICABLE)");
    expect(message?.Message).toContain(`Fixed (1):`);
    expect(message?.Message).toContain("Report: s3://evidence/reports/latest.html");
    // The summary, not the report: far below SNS's 256 KB.
    expect(Buffer.byteLength(message?.Message ?? "")).toBeLessThan(8192);
  });

  it("a run where nothing got worse writes the (empty) delta and sends nothing", async () => {
    const res = await runCli(["run", "--config", config()]);
    expect(res.code, res.stderr).toBe(0);
    expect(changes()).toMatchObject({ becameNonCompliant: [], fixed: [], accountsAdded: [], worse: false });
    expect(res.stdout).not.toContain("published to SNS");
    expect(await inbox()).toEqual([]);
  });

  it("SCP drift alerts the run it appears, and not again while it stands", async () => {
    const detect = { scp: [{ ou: org.ouIds["Root/Workloads"], policies: ["require-mfa"], mode: "detect" }] };
    const first = await runCli(["run", "--config", config(detect)]);
    expect(first.code, first.stderr).toBe(0);
    const found = changes();
    expect(found.worse).toBe(true);
    expect(found.newScpDrift).toEqual(found.scpDrift);
    expect(found.scpDrift[0]?.drift.join("\n")).toMatch(/attach orgwarden-require-mfa/);
    const [alert, ...more] = await inbox();
    expect(more).toEqual([]);
    expect(alert?.Subject).toBe(`orgwarden: ${org.organizationId} got worse: new SCP drift`);

    // The next run finds the same drift: listed as standing, not worse, no message.
    const again = await runCli(["run", "--config", config(detect)]);
    expect(again.code, again.stderr).toBe(0);
    expect(changes()).toMatchObject({ worse: false, newScpDrift: [], scpDrift: found.scpDrift });
    expect(readFileSync(join(reports, "changes.txt"), "utf8")).toContain(
      "SCP drift standing since the last run (1):",
    );
    expect(await inbox()).toEqual([]);
  });

  it("notify without json in report.formats is an invalid config (exit 2), before any call", async () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(
      file,
      stringify({
        connection: { endpointUrl: moto.endpoint },
        report: { formats: ["csv"], outputDir: reports },
        notify: { snsTopicArn: topicArn },
      }),
    );
    const res = await runCli(["run", "--config", file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("notify");
    expect(res.stderr).toContain("add json to report.formats");
  });
});
