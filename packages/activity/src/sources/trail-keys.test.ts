import { describe, expect, it } from "vitest";
import {
  accountsPrefix,
  dayPrefix,
  folderNames,
  logFileTime,
  mayHoldWindow,
  regionsPrefix,
  trailDays,
} from "./trail-keys.js";

const window = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });
const file = (stamp: string) =>
  `AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/eu-west-1/2026/03/02/111122223333_CloudTrail_eu-west-1_${stamp}_Mu0KsOhtH1ar15ZZ.json.gz`;

describe("the trail's key layout", () => {
  it("an organization trail's folders, and an account trail's without the organization", () => {
    const org = accountsPrefix("audit/", "o-a1b2c3d4e5");
    expect(org).toBe("audit/AWSLogs/o-a1b2c3d4e5/");
    expect(accountsPrefix("", undefined)).toBe("AWSLogs/");
    expect(regionsPrefix(org, "111122223333")).toBe("audit/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/");
    expect(dayPrefix(org, "111122223333", "eu-west-1", "2026/03/02")).toBe(
      "audit/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/eu-west-1/2026/03/02/",
    );
  });

  it("folder names from a delimiter listing", () => {
    expect(
      folderNames("AWSLogs/", ["AWSLogs/o-a1b2c3d4e5/", "AWSLogs/111122223333/", "other/", "AWSLogs/x"]),
    ).toEqual(["o-a1b2c3d4e5", "111122223333"]);
  });

  it("the days of a window, through the delivery margin past its end (UTC)", () => {
    expect(trailDays(window("2026-03-01T10:00:00Z", "2026-03-03T12:00:00Z"))).toEqual([
      "2026/03/01",
      "2026/03/02",
      "2026/03/03",
    ]);
    // A window ending late in the day reads the next day's folder: its files hold the last events.
    expect(trailDays(window("2026-02-28T00:00:00Z", "2026-02-28T23:30:00Z"))).toEqual([
      "2026/02/28",
      "2026/03/01",
    ]);
    expect(trailDays(window("2025-12-31T23:00:00Z", "2026-01-01T01:00:00Z"))).toEqual([
      "2025/12/31",
      "2026/01/01",
    ]);
  });

  it("a file's delivery time from its name", () => {
    expect(logFileTime(file("20260302T0210Z"))).toBe(Date.UTC(2026, 2, 2, 2, 10));
    expect(logFileTime("AWSLogs/o-a/1/CloudTrail/eu-west-1/2026/03/02/readme.txt")).toBeUndefined();
  });

  it("a file is read when its delivery can hold the window's events: after the start, up to the margin past the end", () => {
    const w = window("2026-03-02T02:00:00Z", "2026-03-02T06:00:00Z");
    // Delivered before the window: every record in it is older.
    expect(mayHoldWindow(file("20260302T0158Z"), w)).toBe(false);
    // Stamped 01:59 but delivered up to 01:59:59, still before 02:00.
    expect(mayHoldWindow(file("20260302T0159Z"), w)).toBe(false);
    expect(mayHoldWindow(file("20260302T0200Z"), w)).toBe(true);
    expect(mayHoldWindow(file("20260302T0600Z"), w)).toBe(true);
    expect(mayHoldWindow(file("20260302T0700Z"), w)).toBe(true);
    expect(mayHoldWindow(file("20260302T0701Z"), w)).toBe(false);
    // Not a log file (a digest, a marker), or a name without a time stamp (read: it cannot be ruled out).
    expect(mayHoldWindow(file("20260302T0300Z").replace(".json.gz", ".json"), w)).toBe(false);
    expect(mayHoldWindow("AWSLogs/o-a/1/CloudTrail/eu-west-1/2026/03/02/copied.json.gz", w)).toBe(true);
  });
});
