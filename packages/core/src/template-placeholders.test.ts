import { describe, expect, it } from "vitest";
import {
  placeholderNames,
  replacePlaceholders,
  TEMPLATE_PLACEHOLDER,
  wholePlaceholder,
} from "./template-placeholders.js";

describe("template placeholders", () => {
  it("lists orgwarden's placeholders and leaves AWS policy variables alone", () => {
    expect(placeholderNames("arn:${Partition}:iam::*:user/${aws:username} ${Partition} ${RoleName}")).toEqual(
      ["Partition", "Partition", "RoleName"],
    );
    expect(placeholderNames("aws:PrincipalTag/${aws:PrincipalTag/team}")).toEqual([]);
  });

  it("recognises a string that is exactly one placeholder (a list spliced into an array)", () => {
    expect(wholePlaceholder("${ExemptPrincipalArns}")).toBe("ExemptPrincipalArns");
    expect(wholePlaceholder("x${ExemptPrincipalArns}")).toBeUndefined();
    expect(wholePlaceholder("${A}${B}")).toBeUndefined();
    expect(wholePlaceholder("${aws:username}")).toBeUndefined();
  });

  it("replaces every placeholder, and the exported pattern keeps no state between strings", () => {
    expect(replacePlaceholders("${A}-${B}-${A}", (n) => n.toLowerCase())).toBe("a-b-a");
    expect(TEMPLATE_PLACEHOLDER.test("${A}")).toBe(true);
    expect(TEMPLATE_PLACEHOLDER.test("${A}")).toBe(true);
    expect(() =>
      replacePlaceholders("${Unknown}", (n) => {
        throw new Error(`unknown ${n}`);
      }),
    ).toThrow("unknown Unknown");
  });
});
