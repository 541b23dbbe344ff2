import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultScpParameters } from "@orgwarden/scp";
import { describe, expect, it } from "vitest";
import { type RolloutState, readRolloutState, rolloutFinished, writeRolloutState } from "./rollout-state.js";

const SHA = "a".repeat(64);

function state(): RolloutState {
  return {
    kind: "orgwarden-rollout",
    version: 1,
    organizationId: "o-abcdef1234",
    createdAt: "2026-12-01T08:00:00.000Z",
    updatedAt: "2026-12-01T08:00:00.000Z",
    policies: [{ name: "require-mfa", managedName: "orgwarden-require-mfa", sha256: SHA }],
    scp: {
      policies: ["require-mfa"],
      allowRoot: false,
      params: defaultScpParameters(),
      configuredQuotas: {},
      principalTags: {},
      regions: ["us-east-1"],
      awsCheck: { mode: "auto", rate: 40 },
    },
    activity: { since: "14d", source: "lookup-events" },
    maxNewDenials: 0,
    soak: "24h",
    soakMs: 86_400_000,
    deliveryMargin: "15m",
    deliveryMarginMs: 900_000,
    notes: [],
    stages: [
      {
        ref: "Root/Sandbox",
        id: "ou-ab12-sand0001",
        path: "Root/Sandbox",
        status: "attached",
        impact: { at: "2026-12-01T08:00:00.000Z", newDenialEvents: 0 },
        attachedAt: "2026-12-01T08:01:00.000Z",
        soakUntil: "2026-12-02T08:01:00.000Z",
        attached: [{ name: "orgwarden-require-mfa", id: "p-abcd1234", sha256: SHA }],
        pendingDetaches: [{ name: "orgwarden-require-mfa-0123456789", id: "p-old00001" }],
        detached: [],
        denials: [
          {
            eventId: "e-1",
            principal: "arn:aws:iam::222222222222:user/ci",
            action: "s3:PutObject",
            account: "222222222222",
            region: "eu-west-1",
            eventTime: "2026-12-01T09:00:00Z",
            events: 3,
            counted: true,
            why: "the message names orgwarden-require-mfa (p-abcd1234), attached by this stage",
          },
        ],
      },
      {
        ref: "Root/Prod",
        id: "ou-ab12-prod0001",
        path: "Root/Prod",
        status: "pending",
        attached: [],
        pendingDetaches: [],
        detached: [],
        denials: [],
      },
    ],
  };
}

function folder(): string {
  return mkdtempSync(join(tmpdir(), "orgwarden-rollout-state-"));
}

function fileWith(content: string): string {
  const file = join(folder(), "rollout.json");
  writeFileSync(file, content);
  return file;
}

describe("the rollout state file", () => {
  it("is written whole and read back as it was, stamped with the time of the write", () => {
    const dir = folder();
    const file = join(dir, "rollout.json");
    writeRolloutState(file, state(), new Date("2026-12-01T09:30:00Z"));
    expect(readdirSync(dir)).toEqual(["rollout.json"]);
    expect(readRolloutState(file)).toEqual({ ...state(), updatedAt: "2026-12-01T09:30:00.000Z" });
  });

  it("a rollout is finished when every stage passed", () => {
    const s = state();
    expect(rolloutFinished(s)).toBe(false);
    for (const stage of s.stages) stage.status = "passed";
    expect(rolloutFinished(s)).toBe(true);
  });

  it.each([
    ["not JSON", "{ stages: [", /is not an orgwarden rollout state file: it is not JSON/],
    ["another tool's JSON", '{"stages": []}', /is not an orgwarden rollout state file: it has no "kind"/],
    ["a report", "[1, 2]", /has no "kind": "orgwarden-rollout"/],
  ])("refuses %s (exit 2, saying why)", (_what, content, message) => {
    expect(() => readRolloutState(fileWith(content))).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT", message: expect.stringMatching(message) }),
    );
  });

  it("refuses a version it does not read", () => {
    const file = fileWith(JSON.stringify({ ...state(), version: 2 }));
    expect(() => readRolloutState(file)).toThrow(/version 2; this orgwarden reads version 1/);
  });

  it("names the field and the problem of a damaged file", () => {
    const bad = state() as unknown as { stages: Array<Record<string, unknown>> };
    (bad.stages[1] as Record<string, unknown>).status = "half-done";
    (bad.stages[0] as Record<string, unknown>).soakUntil = "tomorrow";
    const error = (() => {
      try {
        readRolloutState(fileWith(JSON.stringify(bad)));
      } catch (err) {
        return err as Error & { code: string; hint?: string };
      }
      throw new Error("read a damaged file");
    })();
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toContain("stages.0.soakUntil");
    expect(error.message).toContain("stages.1.status");
    expect(error.hint).toMatch(/edited or damaged/);
  });

  it("refuses an attached stage without its attach time or soak end (its soak could never be judged)", () => {
    const s = state();
    delete s.stages[0]?.soakUntil;
    expect(() => readRolloutState(fileWith(JSON.stringify(s)))).toThrow(
      /stages\.0\.soakUntil: an attached stage needs it/,
    );
  });

  it("refuses fields it does not know (a typo or another version's) and a missing file", () => {
    const file = fileWith(JSON.stringify({ ...state(), credentials: "x" }));
    expect(() => readRolloutState(file)).toThrow(/Unrecognized key/);
    expect(() => readRolloutState(join(folder(), "none.json"))).toThrow(/there is no such file/);
  });
});
