import { describe, expect, it } from "vitest";
import { painter } from "./colour.js";
import { renderTable } from "./render-table.js";

const reason = `${"the role OrganizationAccountAccessRole cannot be assumed in this account: ".repeat(20)}AccessDenied`;
const longArn = `arn:aws:iam::123456789012:role/${"x".repeat(150)}`;
const rows = [
  ["123456789012", "payments", "NON_COMPLIANT", reason],
  ["210987654321", "sandbox", "ERROR", longArn],
];
const headers = ["ACCOUNT", "NAME", "STATUS", "REASON"];

describe("renderTable", () => {
  it("fits a terminal: no line longer than its width, the long cells wrapped with nothing lost", () => {
    for (const width of [80, 100, 132]) {
      const text = renderTable(headers, rows, { width });
      const lines = text.trimEnd().split("\n");
      expect(
        lines.filter((l) => l.length > width),
        `width ${width}`,
      ).toEqual([]);
      // Every word of the reason is there, in order; the ARN is cut into pieces that join back.
      const reasonColumn = lines[0]?.indexOf("REASON") ?? -1;
      const column = lines.slice(2).map((l) => l.slice(reasonColumn));
      expect(column.join(" ").replace(/\s+/g, " ")).toContain(
        reason.replace(/\s+/g, " ").trim().slice(0, 200),
      );
      expect(column.join("").replace(/\s+/g, "")).toContain(longArn);
    }
  });

  it("continuation lines leave the other columns blank; the first line of a row holds them", () => {
    const lines = renderTable(headers, rows, { width: 80 }).split("\n");
    expect(lines[2]).toMatch(/^123456789012 {2}payments {2}NON_COMPLIANT {2}the role/);
    expect(lines[3]).toMatch(/^ {20,}\S/);
  });

  it("a table of many columns (the report's summary) fits 80 columns too: its headers wrap", () => {
    const wide = [
      "OU",
      "ACCOUNTS",
      "COMPLIANT",
      "NON_COMPLIANT",
      "NOT_APPLICABLE",
      "INSUFFICIENT_DATA",
      "ERROR",
      "SKIPPED",
    ];
    const text = renderTable(
      wide,
      [["Root/Workloads/Prod/Payments", "12", "80", "40", "10", "2", "1", "0"]],
      {
        width: 80,
      },
    );
    expect(
      text
        .trimEnd()
        .split("\n")
        .filter((l) => l.length > 80),
    ).toEqual([]);
    // Headers wrap onto a second line above the rule; every cell is still there.
    expect(text).toMatch(/NON_[\s\S]*COMPLIANT[\s\S]*-{5}/);
    const lines = text.split("\n");
    const ouColumn = lines
      .slice(lines.findIndex((l) => l.startsWith("---")) + 1)
      .map((l) => l.slice(0, 9).trim())
      .join("");
    expect(ouColumn).toBe("Root/Workloads/Prod/Payments");
  });

  it("without a width (piped): one line per row, every cell whole", () => {
    const lines = renderTable(headers, rows).trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[2]?.endsWith(reason)).toBe(true);
    expect(lines[3]?.endsWith(longArn)).toBe(true);
  });

  it("a table that fits is unchanged by the width, colours included", () => {
    const paint = painter(true);
    const short = [["1", paint("ok", "green")]];
    expect(renderTable(["A", "B"], short, { width: 80 })).toBe(renderTable(["A", "B"], short));
  });
});
