import type { ScpSimulation, SimulationRow } from "@orgwarden/job";
import { NO_COLOUR, type Paint } from "@orgwarden/report";
import type { KeyValue } from "@orgwarden/scp";
import { plural } from "../scp-change-flow.js";

/**
 * `scp simulate` for a person: the question, then per SCP path orgwarden's verdict with the deciding
 * statement and its condition keys as the request had them, AWS's verdict beside it, whether they
 * agree (and which is stricter when not), and the request keys orgwarden assumed.
 */
export function renderScpSimulation(sim: ScpSimulation, paint: Paint = NO_COLOUR): string {
  const kind = sim.target.kind === "account" ? "account" : sim.target.kind === "root" ? "root" : "OU";
  const accounts = sim.rows.reduce((n, r) => n + r.accounts, 0);
  const principal =
    sim.principal.startsWith("arn:") || sim.rows.length !== 1
      ? sim.principal
      : (sim.rows[0]?.principalArn ?? sim.principal);
  const lines = [
    `Can ${principal}${principal.startsWith("arn:") ? "" : " (in each path's account)"} do ${sim.action} on ${sim.resource}?`,
    `at ${kind} ${sim.target.path} (${sim.target.id}): ${plural(sim.rows.length, "SCP path")}, ${plural(accounts, "account")}` +
      (sim.withPlanned.length > 0 ? `, with ${sim.withPlanned.join(", ")} attached as planned` : ""),
  ];
  for (const row of sim.rows) lines.push("", ...renderRow(row, sim.rows.length > 1, paint));
  lines.push("", "--context KEY=VALUE sets a key (over an assumed one), --context KEY= takes one out.");
  if (sim.notes.length > 0) lines.push(...sim.notes.map((n) => `note: ${n}`));
  return `${lines.join("\n")}\n`;
}

function renderRow(row: SimulationRow, several: boolean, paint: Paint): string[] {
  const path = row.levels.map((p) => p.split("/").at(-1)).join(" → ");
  const where = row.exampleAccount
    ? `${plural(row.accounts, "account")}${row.accounts > 0 ? ` (e.g. ${row.exampleAccount})` : ""}`
    : "no account below";
  const lines = [`${path}: ${where}`];
  if (several && row.principalArn) lines.push(`  principal  ${row.principalArn}`);
  const ours = row.orgwarden;
  lines.push(`  orgwarden  ${effect(ours.effect, paint)}  ${ours.reason}`);
  for (const k of ours.conditionKeys) lines.push(`               ${k.key}: ${valueText(k.value)}`);
  const aws = row.aws;
  if (!aws.asked) lines.push(`  AWS        not asked: ${aws.reason}`);
  else {
    const organizations =
      aws.allowedByOrganizations === undefined
        ? ""
        : ` (AllowedByOrganizations ${aws.allowedByOrganizations})`;
    lines.push(`  AWS        ${effect(aws.effect ?? "DENY", paint)}  ${aws.decision}${organizations}`);
    if (aws.effect === "ALLOW" && aws.decision !== "allowed")
      lines.push("               the SCPs allow it; the simulation denies it for another reason");
  }
  if (row.agree === false) {
    lines.push(
      paint(
        `  the engines disagree: ${row.stricter === "aws" ? "AWS is stricter (it denies what orgwarden allows)" : "orgwarden is stricter (it denies what AWS allows)"}`,
        "yellow",
      ),
    );
  }
  const given = Object.entries(row.context).filter(
    ([k]) => k !== "aws:PrincipalArn" && !row.assumed.includes(k),
  );
  if (given.length > 0) lines.push(`  from --context: ${keysText(given)}`);
  if (row.removed.length > 0) lines.push(`  taken out by --context: ${row.removed.join(", ")}`);
  lines.push(`  assumed: ${keysText(row.assumed.map((k) => [k, row.context[k] as KeyValue]))}`);
  return lines;
}

function effect(e: "ALLOW" | "DENY", paint: Paint): string {
  return paint(e.padEnd(5), e === "ALLOW" ? "green" : "red");
}

function valueText(v: KeyValue | undefined): string {
  if (v === undefined) return "absent";
  return typeof v === "string" ? v : `[${v.join(", ")}]`;
}

function keysText(keys: ReadonlyArray<readonly [string, KeyValue]>): string {
  return keys.map(([k, v]) => `${k}=${typeof v === "string" ? v : v.join(",")}`).join(", ");
}
