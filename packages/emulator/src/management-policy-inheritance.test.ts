import { describe, expect, it } from "vitest";
import { effectivePolicyOf } from "./management-policy-inheritance.js";

const assign = (value: unknown) => ({ "@@assign": value });

describe("the emulator's effective management policy", () => {
  it("takes the nearest assignment along the path, without its operators", () => {
    const root = { ec2_attributes: { snapshot_block_public_access: { state: assign("block_new_sharing") } } };
    const ou = { ec2_attributes: { snapshot_block_public_access: { state: assign("block_all_sharing") } } };
    const account = { ec2_attributes: { serial_console_access: { status: assign("disabled") } } };
    expect(effectivePolicyOf([[root], [ou], [account]])).toEqual({
      ec2_attributes: {
        snapshot_block_public_access: { state: "block_all_sharing" },
        serial_console_access: { status: "disabled" },
      },
    });
  });

  it("merges AWS's tag policy examples: @@append and @@remove on inherited lists", () => {
    const a = {
      tags: { costcenter: { tag_key: assign("CostCenter"), tag_value: assign(["Development", "Support"]) } },
    };
    const c = { tags: { costcenter: { tag_value: { "@@append": ["Marketing"] } } } };
    const d = { tags: { costcenter: { tag_value: { "@@remove": ["Development", "Marketing"] } } } };
    expect(effectivePolicyOf([[a], [c]])).toEqual({
      tags: { costcenter: { tag_key: "CostCenter", tag_value: ["Development", "Support", "Marketing"] } },
    });
    expect(effectivePolicyOf([[a], [c], [d]])).toEqual({
      tags: { costcenter: { tag_key: "CostCenter", tag_value: ["Support"] } },
    });
  });

  it("keeps a value a level above locked with @@operators_allowed_for_child_policies", () => {
    const root = {
      s3_attributes: {
        public_access_block_configuration: {
          "@@operators_allowed_for_child_policies": ["@@none"],
          "@@assign": "all",
        },
      },
    };
    const ou = { s3_attributes: { public_access_block_configuration: assign("none") } };
    expect(effectivePolicyOf([[root], [ou]])).toEqual({
      s3_attributes: { public_access_block_configuration: "all" },
    });
    // A limit binds the levels below, not the level that writes it.
    expect(effectivePolicyOf([[root, ou]])).toEqual({
      s3_attributes: { public_access_block_configuration: "none" },
    });
  });

  it("is undefined when nothing applies", () => {
    expect(effectivePolicyOf([[], []])).toBeUndefined();
    expect(effectivePolicyOf([[{ ec2_attributes: {} }]])).toBeUndefined();
  });
});
