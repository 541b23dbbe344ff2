import { describe, expect, it } from "vitest";
import { loadPolicyLibrary, type PolicyTemplate, requirePolicy } from "./policy-library.js";
import {
  parametersFromTags,
  parseManagedName,
  renderPolicy,
  templateParameterNames,
} from "./render-policy.js";
import { defaultScpParameters, scpParameters } from "./scp-parameters.js";

const library = loadPolicyLibrary();
const params = scpParameters({
  roleName: "OrgwardenRole",
  exemptPrincipals: ["arn:aws:iam::*:role/BreakGlass"],
});

function template(document: unknown): PolicyTemplate {
  return {
    name: "t",
    type: "SERVICE_CONTROL_POLICY",
    description: "test",
    template: document,
    file: "t.json",
    about: { denies: "-", appliesTo: "-", exempts: "-", follows: [] },
  };
}

describe("the SCP library", () => {
  it("holds the eight documented policies, each saying what it denies, to whom, and the AWS page it follows", () => {
    expect([...library.keys()]).toEqual([
      "deny-leave-organization",
      "deny-root-access-keys",
      "deny-root-user",
      "protect-audit",
      "protect-exempt-roles",
      "protect-exemption-tags",
      "require-mfa",
      "restrict-source-ip",
    ]);
    for (const t of library.values()) {
      expect(t.about.denies.length).toBeGreaterThan(10);
      expect(t.about.follows.every((u) => u.startsWith("https://docs.aws.amazon.com/"))).toBe(true);
    }
  });

  it("renders require-mfa scoped to IAM users, exempting orgwarden's role and break-glass principals", () => {
    const r = renderPolicy(requirePolicy(library, "require-mfa"), params);
    expect(r.managedName).toMatch(/^orgwarden-require-mfa-[0-9a-f]{10}$/);
    const st = (r.document.Statement as Array<Record<string, unknown>>)[0];
    expect(st?.Condition).toEqual({
      BoolIfExists: { "aws:MultiFactorAuthPresent": "false", "aws:ViaAWSService": "false" },
      ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:user/*" },
      ArnNotLike: {
        "aws:PrincipalArn": ["arn:aws:iam::*:role/OrgwardenRole", "arn:aws:iam::*:role/BreakGlass"],
      },
      StringNotEqualsIfExists: { "aws:PrincipalTag/orgwarden:mfa-exempt": "true" },
    });
    expect(r.content).not.toMatch(/\s/);
    expect(r.size).toBe(r.content.length);
  });

  it("deny-root-user exempts AssumeRoot by default and blocks it on request", () => {
    const exempt = renderPolicy(requirePolicy(library, "deny-root-user"), params);
    expect(exempt.content).toContain('"Null":{"aws:AssumedRoot":"true"}');
    expect(exempt.content).not.toContain("$if");
    const blocked = renderPolicy(requirePolicy(library, "deny-root-user"), {
      ...params,
      ExemptAssumeRoot: false,
    });
    expect(blocked.content).not.toContain("AssumedRoot");
    expect(blocked.document.Statement).toHaveLength(1);
  });

  it("restrict-source-ip needs at least one CIDR", () => {
    expect(() => renderPolicy(requirePolicy(library, "restrict-source-ip"), params)).toThrow(
      /--allowed-cidr/,
    );
    const r = renderPolicy(requirePolicy(library, "restrict-source-ip"), {
      ...params,
      AllowedCidrs: ["192.0.2.0/24"],
    });
    expect(r.content).toContain('"NotIpAddressIfExists":{"aws:SourceIp":["192.0.2.0/24"]}');
    expect(r.content).toContain('"Null":{"aws:SourceVpc":"true","aws:AssumedRoot":"true"}');
  });

  it("names a policy after its parameters: no suffix for the defaults, a stable hash otherwise", () => {
    const mfa = requirePolicy(library, "require-mfa");
    const plain = renderPolicy(mfa, defaultScpParameters());
    expect(plain.managedName).toBe("orgwarden-require-mfa");
    expect(plain.variant).toBeUndefined();
    // A parameter require-mfa does not use leaves its name alone.
    const withCidrs = renderPolicy(mfa, { ...defaultScpParameters(), AllowedCidrs: ["192.0.2.0/24"] });
    expect(withCidrs.managedName).toBe("orgwarden-require-mfa");
    const a = renderPolicy(mfa, params);
    const b = renderPolicy(
      mfa,
      scpParameters({ roleName: "OrgwardenRole", exemptPrincipals: ["arn:aws:iam::*:role/Other"] }),
    );
    expect(a.managedName).not.toBe(b.managedName);
    expect(renderPolicy(mfa, params).managedName).toBe(a.managedName);
    expect(parseManagedName(a.managedName)).toEqual({ name: "require-mfa", variant: a.variant });
    expect(templateParameterNames(mfa)).toEqual(["ExemptPrincipalArns", "MfaExemptTagKey", "Partition"]);
    expect(a.description).toContain(`variant ${a.variant}`);
  });

  it("a set of principals makes one variant whatever its order or repeats; a key-only placeholder counts", () => {
    const mfa = requirePolicy(library, "require-mfa");
    const a = scpParameters({
      roleName: "R",
      exemptPrincipals: ["arn:aws:iam::*:role/B", "arn:aws:iam::*:role/A"],
    });
    const b = scpParameters({
      roleName: "R",
      exemptPrincipals: ["arn:aws:iam::*:role/A", "arn:aws:iam::*:role/B", "arn:aws:iam::*:role/A"],
    });
    expect(renderPolicy(mfa, a).managedName).toBe(renderPolicy(mfa, b).managedName);
    expect(a.ExemptPrincipalArns[0]).toBe("arn:aws:iam::*:role/R");
    const keyOnly = template({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Deny",
          Action: "*",
          Resource: "*",
          Condition: { StringEquals: { "aws:PrincipalTag/${MfaExemptTagKey}": "true" } },
        },
      ],
    });
    expect(templateParameterNames(keyOnly)).toEqual(["MfaExemptTagKey"]);
    const other = scpParameters({ roleName: "R", mfaExemptTagKey: "ci:no-mfa" });
    expect(renderPolicy(keyOnly, other).managedName).not.toBe(renderPolicy(keyOnly, a).managedName);
  });

  it("refuses $if outside an array item and two keys that render alike", () => {
    expect(() =>
      renderPolicy(
        template({
          Version: "2012-10-17",
          Statement: { $if: "HasAllowedVpcs", Effect: "Deny", Action: "*", Resource: "*" },
        }),
        params,
      ),
    ).toThrow(/only works on an item of an array/);
    expect(() =>
      renderPolicy(
        template({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Deny",
              Action: "*",
              Resource: "*",
              Condition: {
                StringEquals: {
                  "aws:PrincipalTag/${MfaExemptTagKey}": "a",
                  "aws:PrincipalTag/orgwarden:mfa-exempt": "b",
                },
              },
            },
          ],
        }),
        params,
      ),
    ).toThrow(/two keys render to/);
  });

  it("stores the parameters in the policy's tags, within Organizations' tag rules, and reads them back", () => {
    const many = scpParameters({
      roleName: "OrgwardenRole",
      exemptPrincipals: Array.from({ length: 30 }, (_, i) => `arn:aws:iam::*:role/break-glass-${i}-*`),
    });
    const r = renderPolicy(requirePolicy(library, "require-mfa"), many);
    expect(r.tags).toContainEqual({ Key: "managed-by", Value: "orgwarden" });
    expect(r.tags.length).toBeLessThanOrEqual(50);
    for (const t of r.tags) {
      expect(t.Key.length).toBeLessThanOrEqual(128);
      expect(t.Value.length).toBeLessThanOrEqual(256);
      expect(t.Value).toMatch(/^[\s\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u);
    }
    expect(parametersFromTags(r.tags)).toEqual(r.parameters);
    expect(parametersFromTags([{ Key: "orgwarden:parameters:1", Value: "not base64 json" }])).toBeUndefined();
  });

  it("rejects unknown placeholders, lists inside strings, and invalid documents", () => {
    expect(() => renderPolicy(template({ Version: "2012-10-17", Statement: [] }), params)).toThrow(
      /not a valid SCP/,
    );
    expect(() =>
      renderPolicy(
        template({ Version: "2012-10-17", Statement: { Effect: "Deny", Action: "${Nope}", Resource: "*" } }),
        params,
      ),
    ).toThrow(/unknown placeholder \$\{Nope\}/);
    expect(() =>
      renderPolicy(
        template({
          Version: "2012-10-17",
          Statement: { Effect: "Deny", Action: "x:${ExemptPrincipalArns}", Resource: "*" },
        }),
        params,
      ),
    ).toThrow(/must stand alone/);
  });

  it("leaves AWS policy variables alone and never breaks JSON with a value", () => {
    const r = renderPolicy(
      template({
        Version: "2012-10-17",
        Statement: { Effect: "Deny", Action: "iam:*", Resource: "arn:aws:iam::*:user/${aws:username}" },
      }),
      { ...params, RoleName: 'x","Effect":"Allow' },
    );
    expect(r.content).toContain("${aws:username}");
  });

  it("names an unknown policy and lists the known ones", () => {
    expect(() => requirePolicy(library, "nope")).toThrow(/no policy named "nope"/);
  });
});

describe("issue 28: what the library renders", () => {
  it("refuses an all-addresses allowed range for restrict-source-ip: it would deny nothing", () => {
    for (const all of ["0.0.0.0/0", "::/0"]) {
      const withAll = { ...params, AllowedCidrs: ["192.0.2.0/24", all] };
      expect(() => renderPolicy(requirePolicy(library, "restrict-source-ip"), withAll)).toThrow(
        `restrict-source-ip with the all-addresses range ${all} denies nothing`,
      );
      // Policies without the network restriction do not care about the ranges.
      expect(() => renderPolicy(requirePolicy(library, "require-mfa"), withAll)).not.toThrow();
    }
  });

  it("refuses ranges that together hold every address of a family (0.0.0.0/1 + 128.0.0.0/1), accepts ones that leave a gap", () => {
    const policy = requirePolicy(library, "restrict-source-ip");
    for (const halves of [
      ["0.0.0.0/1", "128.0.0.0/1"],
      ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/1"],
      ["::/1", "8000::/1"],
    ])
      expect(() => renderPolicy(policy, { ...params, AllowedCidrs: halves }), halves.join(" ")).toThrow(
        "denies nothing",
      );
    for (const gap of [
      ["0.0.0.0/1", "128.0.0.0/2"],
      ["10.0.0.0/8", "192.0.2.0/24"],
      ["::/1", "2001:db8::/32"],
    ])
      expect(() => renderPolicy(policy, { ...params, AllowedCidrs: gap }), gap.join(" ")).not.toThrow();
  });

  it("a conditional entry keeps its key only when its flag says so", () => {
    const doc = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Deny",
          Action: "*",
          Resource: "*",
          Condition: {
            Null: { "aws:SourceVpc": "true", "aws:AssumedRoot": { $if: "ExemptAssumeRoot", $value: "true" } },
            Bool: { $unless: "ExemptAssumeRoot", $value: { "aws:SecureTransport": "false" } },
          },
        },
      ],
    };
    const on = renderPolicy(template(doc), { ...params, ExemptAssumeRoot: true });
    expect(on.content).toContain('"Condition":{"Null":{"aws:SourceVpc":"true","aws:AssumedRoot":"true"}}');
    const off = renderPolicy(template(doc), { ...params, ExemptAssumeRoot: false });
    expect(off.content).toContain(
      '"Condition":{"Null":{"aws:SourceVpc":"true"},"Bool":{"aws:SecureTransport":"false"}}',
    );
    expect(templateParameterNames(template(doc))).toContain("ExemptAssumeRoot");
  });

  it("restrict-source-ip leaves centralized-root sessions out unless --block-assume-root", () => {
    for (const vpcs of [[], ["vpc-0123456789abcdef0"]]) {
      const input = { roleName: "OrgwardenRole", allowedCidrs: ["192.0.2.0/24"], allowedVpcs: vpcs };
      const exempt = renderPolicy(requirePolicy(library, "restrict-source-ip"), scpParameters(input));
      expect(exempt.content).toMatch(/"Null":\{[^}]*"aws:AssumedRoot":"true"/);
      const blocked = renderPolicy(
        requirePolicy(library, "restrict-source-ip"),
        scpParameters({ ...input, exemptAssumeRoot: false }),
      );
      expect(blocked.content).not.toContain("aws:AssumedRoot");
      expect(blocked.managedName).not.toBe(exempt.managedName);
    }
  });

  it("every policy that exempts principals by pattern denies creating, renaming or re-trusting them", () => {
    const exempting = [...library.values()].filter((t) =>
      templateParameterNames(t).some((n) => n === "ExemptPrincipalArns" || n === "AuditAutomationArns"),
    );
    expect(exempting.map((t) => t.name).sort()).toEqual([
      "protect-audit",
      "protect-exempt-roles",
      "protect-exemption-tags",
      "require-mfa",
      "restrict-source-ip",
    ]);
    const input = scpParameters({
      roleName: "OrgwardenRole",
      allowedCidrs: ["192.0.2.0/24"],
      exemptPrincipals: ["arn:aws:iam::*:user/break-glass/*"],
    });
    for (const t of exempting) {
      const r = renderPolicy(t, input);
      const st = (
        r.document.Statement as Array<{ Sid?: string; Action?: string[]; Resource?: string[] }>
      ).find((s) => s.Sid === "ProtectExemptPrincipals");
      expect(st, t.name).toBeDefined();
      expect(st?.Action).toEqual(
        expect.arrayContaining(["iam:CreateRole", "iam:CreateUser", "iam:UpdateUser"]),
      );
      // Every pattern the policy exempts is a protected resource.
      const automation = r.parameters.AuditAutomationArns;
      for (const pattern of [
        ...input.ExemptPrincipalArns,
        ...(Array.isArray(automation) ? automation : []),
      ]) {
        expect(st?.Resource, `${t.name}: ${pattern}`).toContain(pattern);
      }
    }
  });
});
