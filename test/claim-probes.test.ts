import { describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { snapshotScps } from "./support/org-snapshot.js";

/**
 * The claim probes (issue 28, item 2) guard the exemptions the change itself writes: a policy that
 * exempts nobody is never refused because creating a role named like its --exempt-principal is
 * allowed, whatever other variants are on the path.
 */

const { moto, org, cli } = useEmulatorOrg({ ous: { Root: 0, "Root/Teams": 2 } });

describe("claim probes", () => {
  it("a policy without exemptions passes under a require-mfa variant that exempts someone else", async () => {
    const teams = org.ouIds["Root/Teams"] as string;
    const first = await cli(
      "apply-scp",
      "--ou",
      teams,
      "--policy",
      "require-mfa",
      "--exempt-principal",
      "arn:aws:iam::*:role/OpsB",
      "--yes",
    );
    expect(first.code, first.stderr).toBe(0);
    const before = await snapshotScps(moto.endpoint);
    for (const policy of ["deny-leave-organization", "deny-root-user", "deny-root-access-keys"]) {
      const res = await cli(
        "apply-scp",
        "--ou",
        teams,
        "--policy",
        policy,
        "--exempt-principal",
        "arn:aws:iam::*:role/Foo",
        "--dry-run",
      );
      expect(res.code, `${policy}: ${res.stderr}`).toBe(0);
    }
    // The same exemption in an exempting policy of the change is guarded: creating role/Foo is denied.
    const guarded = await cli(
      "apply-scp",
      "--ou",
      teams,
      "--policy",
      "protect-audit",
      "--exempt-principal",
      "arn:aws:iam::*:role/Foo",
      "--dry-run",
    );
    expect(guarded.code, guarded.stderr).toBe(0);
    expect(guarded.stdout).toMatch(
      /creating, re-trusting or passing a role named like an exemption\s+DENY\s+DENY/,
    );
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });
});
