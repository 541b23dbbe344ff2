import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultPolicyDir, loadPolicyLibrary } from "../policy-library.js";
import { templateParameterNames } from "../render-policy.js";
import { EXEMPTING_TEMPLATES } from "./exemption-claims.js";
import { probeCoverage, TEMPLATES_WITHOUT_PROBES, templatesAccountedFor } from "./library-coverage.js";
import { PROBE_FAMILIES } from "./probe-families.js";
import { PROBED_LIBRARY_FOLDERS, type TemplateRef } from "./probe-table.js";
import { RESOURCE_PROBE_FAMILIES } from "./resource-probe-families.js";

/** Every template file of the probed library folders at the repository root (scp/, rcp/ once it exists). */
function libraryTemplates(): TemplateRef[] {
  const root = join(defaultPolicyDir(), "..");
  return PROBED_LIBRARY_FOLDERS.flatMap((folder) => {
    const dir = join(root, folder);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((file) => file.endsWith(".json"))
      .map((file): TemplateRef => `${folder}/${file.slice(0, -".json".length)}`);
  });
}

describe("the lockout guard answers for every library template", () => {
  const templates = libraryTemplates();

  it("reads the library", () => {
    expect(templates).toContain("scp/require-mfa");
  });

  it("every template is probed by a family that names it, or says why it needs no probe of its own", () => {
    const missing = templates.filter((t) => probeCoverage(t).kind === "missing");
    expect(
      missing,
      `${missing.join(", ")}: no lockout probe names ${missing.length === 1 ? "it" : "them"}. Name the template in the templates of a family in packages/scp/src/probes/ (and probe what it denies), or add it to TEMPLATES_WITHOUT_PROBES in library-coverage.ts with why it needs no probe`,
    ).toEqual([]);
  });

  it("every template a family names or the table excuses exists, and none is both probed and excused", () => {
    expect(templatesAccountedFor().filter((t) => !templates.includes(t))).toEqual([]);
    const both = Object.keys(TEMPLATES_WITHOUT_PROBES).filter((t) =>
      [...PROBE_FAMILIES, ...RESOURCE_PROBE_FAMILIES].some((f) =>
        (f.templates as readonly string[]).includes(t),
      ),
    );
    expect(both).toEqual([]);
  });

  it("the claim probes name exactly the templates that exempt principals by pattern", () => {
    const library = loadPolicyLibrary();
    const exempting = [...library.values()]
      .map((t) => ({ name: t.name, uses: templateParameterNames(t) }))
      .filter((t) => t.uses.includes("ExemptPrincipalArns") || t.uses.includes("AuditAutomationArns"))
      .map((t) => ({ template: `scp/${t.name}`, automation: t.uses.includes("AuditAutomationArns") }));
    expect([...EXEMPTING_TEMPLATES].sort((a, b) => a.template.localeCompare(b.template))).toEqual(
      exempting.sort((a, b) => a.template.localeCompare(b.template)),
    );
  });
});
