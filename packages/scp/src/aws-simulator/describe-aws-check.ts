import type { AwsConfirmation, AwsDisagreement } from "./confirm-with-aws.js";

/**
 * The plan's lines on AWS's policy simulator: how many of the guard's probe requests AWS decided as
 * orgwarden did, each disagreement, or why AWS could not be asked. The first line is also `run`'s.
 */
export function describeAwsCheck(check: AwsConfirmation): string[] {
  const lines = [awsCheckHeadline(check)];
  if (!check.ran) return lines;
  for (const d of check.disagreements) lines.push(`  ${describeDisagreement(d)}`);
  for (const n of check.notSent) lines.push(`  not decided by AWS: ${n.requests} (${n.reason})`);
  return lines;
}

/** `guard: 214 probe requests, AWS agrees on 214 (…)`, or why AWS could not be asked. */
export function awsCheckHeadline(check: AwsConfirmation): string {
  if (!check.ran) {
    return `guard: ${check.requests} probe requests decided by orgwarden's evaluator alone: AWS's policy simulator could not be asked (${check.unavailable}); with --verify-with-aws on (verifyWithAws: on) this is a refusal`;
  }
  const calls = `${check.calls} iam:SimulateCustomPolicy call${check.calls === 1 ? "" : "s"}`;
  const differ = check.disagreements.length;
  const sent = check.answered === check.requests ? "" : `, ${check.answered} decided by AWS`;
  return differ === 0
    ? `guard: ${check.requests} probe requests${sent}, AWS agrees on ${check.agreed} (${calls})`
    : `guard: ${check.requests} probe requests${sent}, AWS agrees on ${check.agreed} and disagrees on ${differ} (${calls}); the guard took the stricter decision:`;
}

export function describeDisagreement(d: AwsDisagreement): string {
  const where = [d.resource !== "*" ? `on ${d.resource}` : "", d.region ? `in ${d.region}` : ""]
    .filter(Boolean)
    .join(" ");
  const organizations =
    d.allowedByOrganizations === undefined ? "" : `, AllowedByOrganizations ${d.allowedByOrganizations}`;
  return `${d.probe}: ${d.action}${where ? ` ${where}` : ""} at ${d.at}: orgwarden ${d.ours} (${d.oursDetail}), AWS ${d.aws}${organizations} → ${d.guardTook === "aws" ? "AWS's decision fails the probe" : "orgwarden's decision stands"}`;
}
