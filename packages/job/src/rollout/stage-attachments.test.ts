import type { Inventory } from "@orgwarden/core";
import { describe, expect, it } from "vitest";
import type { RolloutStage } from "./rollout-state.js";
import { reconcileAttached } from "./stage-attachments.js";

const OU = "ou-ab12-sand0001";
const SHA = "c".repeat(64);

function inventory(onTarget: string[]): Inventory {
  const scp = (id: string, name: string) => [id, { id, name, arn: "", description: "", awsManaged: false }];
  return {
    scps: new Map([
      scp("p-mfa00001", "orgwarden-require-mfa"),
      scp("p-reg00001", "orgwarden-region-deny"),
    ] as [string, never][]),
    scpAttachments: new Map([[OU, ["p-FullAWSAccess", ...onTarget]]]),
  } as unknown as Inventory;
}

function pending(attached: RolloutStage["attached"]): RolloutStage {
  return {
    ref: "Root/Sandbox",
    id: OU,
    path: "Root/Sandbox",
    status: "pending",
    attached,
    pendingDetaches: [],
    detached: [],
    denials: [],
  };
}

describe("what a stage left on its target", () => {
  it("a write that failed half way (A attached, B not): A is recorded with its id, B dropped", () => {
    const stage = pending([
      { name: "orgwarden-require-mfa", sha256: SHA },
      { name: "orgwarden-region-deny", sha256: SHA },
    ]);
    reconcileAttached(inventory(["p-mfa00001"]), stage);
    expect(stage.attached).toEqual([{ name: "orgwarden-require-mfa", id: "p-mfa00001", sha256: SHA }]);
  });

  it("a stage rolled back or stopped keeps what is still attached, and forgets what was detached", () => {
    const stage = {
      ...pending([
        { name: "orgwarden-require-mfa", id: "p-mfa00001", sha256: SHA },
        { name: "orgwarden-region-deny", id: "p-reg00001", sha256: SHA },
      ]),
      status: "stopped-impact" as const,
    };
    reconcileAttached(inventory(["p-reg00001"]), stage);
    expect(stage.attached).toEqual([{ name: "orgwarden-region-deny", id: "p-reg00001", sha256: SHA }]);
  });
});
