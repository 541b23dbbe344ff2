import { describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { setSimulatePolicy, simulatePolicyState } from "./support/simulate-policy-standin.js";

const { moto, cli, ou } = useEmulatorOrg({ ous: { Root: 0, "Root/Workloads": 2 } });

describe("apply-scp --verify-with-aws", () => {
  it("prints AWS's agreement", async () => {
    const res = await cli("apply-scp", "--ou", ou("Root/Workloads"), "--dry-run");
    console.log(res.stdout, res.stderr, await simulatePolicyState(moto.endpoint));
    expect(res.code).toBe(0);
  });
});
