import { describe, expect, it } from "vitest";
import { sinceDate } from "./impact-settings.js";

const NOW = new Date("2026-12-06T12:00:00Z");

describe("--since", () => {
  it.each([
    ["14d", "2026-11-22T12:00:00.000Z"],
    ["36h", "2026-12-05T00:00:00.000Z"],
    ["90m", "2026-12-06T10:30:00.000Z"],
    ["2026-11-01", "2026-11-01T00:00:00.000Z"],
    ["2026-11-01T08:15:00Z", "2026-11-01T08:15:00.000Z"],
  ])("%s starts the window at %s", (raw, start) => {
    expect(sinceDate(raw, NOW).toISOString()).toBe(start);
  });

  it.each([
    ["0d", /empty window/],
    ["14", /neither a duration nor a date/],
    ["two weeks", /neither a duration nor a date/],
    ["2026-13-40", /neither a duration nor a date/],
    ["2026-12-07", /not in the past/],
  ])("refuses %s", (raw, message) => {
    expect(() => sinceDate(raw, NOW)).toThrow(message);
  });
});
