import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadPolicyLibrary, RCP_KIND } from "@orgwarden/scp";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/run-cli.js";

// The README's library table is what a reviewer reads before attaching a policy: it must name every
// policy in scp/ with what it denies and every AWS page the policy says it follows.
describe("the README's SCP library table", () => {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const library = loadPolicyLibrary();
  for (const t of library.values()) {
    it(`lists ${t.name}: what it denies, to whom, and the AWS pages it follows`, () => {
      const row = readme.split("\n").find((l) => l.startsWith(`| \`${t.name}\` |`));
      expect(row, `README has no row for ${t.name}`).toBeDefined();
      expect(row).toContain(t.about.denies);
      expect(row).toContain(t.about.appliesTo);
      for (const url of t.about.follows) expect(row).toContain(url);
    });
  }
});

// The RCP library table, in the same form: every policy in rcp/ with what it denies and its AWS pages.
describe("the README's RCP library table", () => {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### The RCP library"));
  for (const t of loadPolicyLibrary(undefined, RCP_KIND).values()) {
    it(`lists ${t.name}: what it denies, to whom, and the AWS pages it follows`, () => {
      const row = section.split("\n").find((l) => l.startsWith(`| \`${t.name}\` |`));
      expect(row, `README's RCP table has no row for ${t.name}`).toBeDefined();
      expect(row).toContain(t.about.denies);
      expect(row).toContain(t.about.appliesTo);
      for (const url of t.about.follows) expect(row).toContain(url);
    });
  }
});
