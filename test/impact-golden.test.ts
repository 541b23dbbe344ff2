import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CallAggregator } from "@orgwarden/activity";
import { hangingOnPrincipalTags, impactRows, judgeTuples, rejudgeWithTags } from "@orgwarden/job";
import {
  type EvaluatedPolicy,
  loadPolicyLibrary,
  type PolicyLevel,
  policyTerms,
  renderPolicy,
  requirePolicy,
  scpParameters,
} from "@orgwarden/scp";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/run-cli.js";

/**
 * The golden impact table: every recorded call of the fixture corpus (test/fixtures/cloudtrail/)
 * judged against every policy of the library, attached to the OU of the corpus's member accounts.
 * `UPDATE_DOCS=1` rewrites the expected file; a change to it is a change of behaviour to review.
 */
const CORPUS = join(REPO_ROOT, "test/fixtures/cloudtrail");
const GOLDEN = join(CORPUS, "impact-golden.md");
const ORG = "o-exampleorgid";
const MANAGEMENT = "777788889999";
const MEMBERS = ["111122223333", "444455556666"];

const FULL_AWS_ACCESS: EvaluatedPolicy = {
  name: "FullAWSAccess",
  document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  managed: false,
};
const params = scpParameters({
  partition: "aws",
  roleName: "OrgwardenAccessRole",
  exemptPrincipals: ["arn:aws:iam::*:role/BreakGlass"],
  allowedCidrs: ["203.0.113.0/24"],
  allowedVpcs: [],
});

function corpusTuples() {
  const aggregator = new CallAggregator();
  const files = readdirSync(CORPUS)
    .filter((f) => f.endsWith(".json"))
    .sort();
  for (const f of files) {
    aggregator.addRecords([JSON.parse(readFileSync(join(CORPUS, f), "utf8"))], {
      managementAccountId: MANAGEMENT,
    });
  }
  return { tuples: aggregator.tuples(), counts: aggregator.counts(), files: files.length };
}

const levels = (extra: EvaluatedPolicy[]): PolicyLevel[] => [
  { nodeId: "r-exam", nodePath: "Root", policies: [FULL_AWS_ACCESS] },
  { nodeId: "ou-exam-workloads", nodePath: "Root/Workloads", policies: [FULL_AWS_ACCESS, ...extra] },
];

function goldenTable(): string {
  const library = loadPolicyLibrary();
  const { tuples, counts, files } = corpusTuples();
  const org = {
    organizationId: ORG,
    partition: "aws",
    orgPathOf: (id: string) =>
      MEMBERS.includes(id) || id === MANAGEMENT ? `${ORG}/r-exam/ou-exam-workloads/` : undefined,
  };
  const out = [
    "# The fixture corpus against every library policy",
    "",
    "Written by `test/impact-golden.test.ts` (`UPDATE_DOCS=1` rewrites it). The corpus's member accounts",
    `(${MEMBERS.join(", ")}) are in Root/Workloads with FullAWSAccess; each policy is attached there with an`,
    "exempt `role/BreakGlass` and the allowed network 203.0.113.0/24. The corpus's IAM users and roles",
    "have no tags (read from IAM, as `orgwarden impact` reads them); a verdict that hangs on another key",
    "the events cannot show is undetermined.",
    "",
    `${files} events: ${counts.evaluated} evaluated as ${tuples.length} distinct calls; not evaluated: ${Object.entries(
      counts.skipped,
    )
      .filter(([, n]) => n > 0)
      .map(([r, n]) => `${r} ${n}`)
      .join(", ")}.`,
  ];
  for (const name of [...library.keys()].sort()) {
    const rendered = renderPolicy(requirePolicy(library, name), params);
    const policy: EvaluatedPolicy = {
      name: rendered.managedName,
      document: rendered.document,
      managed: true,
    };
    const before = levels([]);
    const after = levels([policy]);
    const paths = {
      before: new Map(MEMBERS.map((id) => [id, before])),
      after: new Map(MEMBERS.map((id) => [id, after])),
    };
    const terms = policyTerms([policy]);
    const { judged } = judgeTuples(tuples, paths, org, terms);
    // As the impact command does after reading them from IAM: the corpus's users and roles have no tags.
    const onTags = hangingOnPrincipalTags(judged);
    rejudgeWithTags(onTags, paths, org, terms, new Map(onTags.map((j) => [j.tuple.principalArn, {}])));
    const rows = [
      ...impactRows(
        judged.filter((j) => j.verdict.kind === "newly-denied"),
        () => undefined,
      ).map((r) => ({ v: "new denial", r })),
      ...impactRows(
        judged.filter((j) => j.verdict.kind === "undetermined"),
        () => undefined,
      ).map((r) => ({ v: "undetermined", r })),
    ];
    out.push("", `## ${name}`, "");
    if (rows.length === 0) {
      out.push("No recorded call is newly denied.");
      continue;
    }
    out.push(
      "| verdict | principal | action | account | region | events | deciding statement | condition keys | hangs on |",
    );
    out.push("|---|---|---|---|---|---|---|---|---|");
    for (const { v, r } of rows) {
      const keys = r.conditionKeys
        .map(
          (k) =>
            `${k.key} ${k.value === undefined ? "absent" : Array.isArray(k.value) ? k.value.join(",") : k.value}`,
        )
        .join("; ");
      out.push(
        `| ${v} | ${r.principalArn} | ${r.action} | ${r.account} | ${r.region} | ${r.count} | ${r.by === "no-allow" ? `no Allow at ${r.nodePath}` : `${r.policy ?? ""} ${r.sid ?? ""}`.trim()} | ${keys} | ${r.undeterminedKeys.join(", ")} |`,
      );
    }
  }
  return `${out.join("\n")}\n`;
}

describe("the impact of every library policy on the fixture corpus", () => {
  it("equals test/fixtures/cloudtrail/impact-golden.md", () => {
    const table = goldenTable();
    if (process.env.UPDATE_DOCS) writeFileSync(GOLDEN, table);
    expect(table).toBe(readFileSync(GOLDEN, "utf8"));
  });
});
