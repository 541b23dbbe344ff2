import type { PolicyTemplate } from "@orgwarden/scp";

/** What the policy denies, to whom, who is exempt, and the AWS pages it follows. */
export function describePolicy(t: PolicyTemplate): string {
  return [
    `${t.name}: ${t.description}`,
    `  Denies:     ${t.about.denies}`,
    `  Applies to: ${t.about.appliesTo}`,
    `  Exempt:     ${t.about.exempts}`,
    `  Follows:    ${t.about.follows.join("\n              ")}`,
    "",
  ].join("\n");
}
