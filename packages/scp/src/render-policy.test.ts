import { describe, expect, it } from "vitest";
import { loadPolicyLibrary, type PolicyTemplate, requirePolicy } from "./policy-library.js";
import { renderPolicy, scpParameters } from "./render-policy.js";

const library = loadPolicyLibrary();
const params = scpParameters({
  roleName: "OrgwardenRole",
  exemptPrincipals: ["arn:aws:iam::*:role/BreakGlass"],
});

function template(document: unknown): PolicyTemplate {
  return { name: "t", description: "test", template: document, file: "t.json" };
}

describe("the SCP library", () => {
  it("holds the six documented policies, each with a one-line description", () => {
    expect([...library.keys()]).toEqual([
      "deny-leave-organization",
      "deny-root-access-keys",
      "deny-root-user",
      "protect-audit",
      "require-mfa",
      "restrict-source-ip",
    ]);
  });

  it("renders require-mfa scoped to IAM users, exempting orgwarden's role and break-glass principals", () => {
    const r = renderPolicy(requirePolicy(library, "require-mfa"), params);
    expect(r.managedName).toBe("orgwarden-require-mfa");
    const st = (r.document.Statement as Array<Record<string, unknown>>)[0];
    expect(st?.Condition).toEqual({
      BoolIfExists: { "aws:MultiFactorAuthPresent": "false", "aws:ViaAWSService": "false" },
      ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:user/*" },
      ArnNotLike: {
        "aws:PrincipalArn": ["arn:aws:iam::*:role/OrgwardenRole", "arn:aws:iam::*:role/BreakGlass"],
      },
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
    expect(r.content).toContain('"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24"]}');
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
