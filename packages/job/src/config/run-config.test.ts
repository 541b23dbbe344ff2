import { describe, expect, it } from "vitest";
import { validateRunConfig } from "./run-config.js";

describe("orgwarden.yaml takes a list as its flag does", () => {
  it("a comma-separated string or a YAML list, alike (--regions us-east-1,eu-west-1, --source check)", () => {
    const asText = validateRunConfig({
      connection: { regions: "us-east-1, eu-west-1" },
      report: { sources: "check", formats: "csv,json" },
      rules: [{ regions: "eu-west-1" }],
    });
    expect(asText.problems).toEqual([]);
    expect(asText.config?.connection.regions).toEqual(["us-east-1", "eu-west-1"]);
    expect(asText.config?.report.sources).toEqual(["check"]);
    expect(asText.config?.report.formats).toEqual(["csv", "json"]);
    expect(asText.config?.rules[0]?.regions).toEqual(["eu-west-1"]);
    const asList = validateRunConfig({ connection: { regions: ["us-east-1", "eu-west-1"] } });
    expect(asList.config?.connection.regions).toEqual(asText.config?.connection.regions);
  });

  it("a bad value in either form names the field and the value", () => {
    const bad = validateRunConfig({ connection: { regions: "us-east-1, mars-1" }, report: { sources: "" } });
    const text = bad.problems.map((p) => `${p.path}: ${p.message}`).join("\n");
    expect(text).toContain("connection.regions");
    expect(text).toContain("report.sources");
  });
});
