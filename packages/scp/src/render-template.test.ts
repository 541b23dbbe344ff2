import { describe, expect, it } from "vitest";
import { formatTemplateValue, renderTemplate, templateNames } from "./render-template.js";

const tenants = {
  Tenants: [
    { Provider: "gitlab.com", Subjects: ["project_path:a/*", "project_path:b/*"] },
    { Provider: "token.actions.githubusercontent.com", Subjects: ["repo:my-org/*"] },
  ],
  Providers: ["gitlab.com", "token.actions.githubusercontent.com"],
};

const perProvider = {
  $each: "Tenants",
  Sid: "Tenant${Index}",
  Condition: { StringNotLikeIfExists: { "${Provider}:sub": ["${Subjects}"] } },
};

describe("$each: an array item repeated once per record", () => {
  it("renders the item once per element, its fields and Index as placeholders, in order", () => {
    expect(renderTemplate([perProvider, { Sid: "After" }], tenants, "t")).toEqual([
      {
        Sid: "Tenant1",
        Condition: { StringNotLikeIfExists: { "gitlab.com:sub": ["project_path:a/*", "project_path:b/*"] } },
      },
      {
        Sid: "Tenant2",
        Condition: {
          StringNotLikeIfExists: { "token.actions.githubusercontent.com:sub": ["repo:my-org/*"] },
        },
      },
      { Sid: "After" },
    ]);
    // No element, no item.
    expect(renderTemplate([perProvider], { ...tenants, Tenants: [] }, "t")).toEqual([]);
    expect(templateNames([perProvider])).toEqual(["Index", "Provider", "Subjects", "Tenants"]);
  });

  it("refuses what would misread: a list of strings, a record list spliced as strings, a field hiding a parameter", () => {
    expect(() => renderTemplate([{ ...perProvider, $each: "Providers" }], tenants, "t")).toThrow(
      /"\$each" must name a list of records/,
    );
    expect(() => renderTemplate(["${Tenants}"], tenants, "t")).toThrow(/is a list of records/);
    expect(() => renderTemplate([perProvider], { ...tenants, Provider: "shadowed" }, "t")).toThrow(
      /the "\$each" field Provider hides the parameter/,
    );
    expect(() => renderTemplate({ $each: "Tenants" }, tenants, "t")).toThrow(
      /only works on an item of an array/,
    );
  });

  it("reads a record as the flag writes it", () => {
    expect(formatTemplateValue(tenants.Tenants, "; ")).toBe(
      "gitlab.com=project_path:a/*,project_path:b/*; token.actions.githubusercontent.com=repo:my-org/*",
    );
    expect(formatTemplateValue(["a", "b"], ",")).toBe("a,b");
    expect(formatTemplateValue(true, ",")).toBe("true");
  });
});
