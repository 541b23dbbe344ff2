import type { PolicyDocument, ScpDecision, Statement } from "@orgwarden/scp";
import type { CorpusCase } from "./evaluator-corpus.js";

/**
 * Where orgwarden's SCP evaluator and the independent simulator disagree, reviewed one group at a
 * time against AWS's pages. A disagreement that no row explains fails the differential test; a row
 * that explains no case fails it too, so the table never outlives the code.
 *
 * `awsSidesWith`: "orgwarden" when an AWS page shows orgwarden's answer is right; "neither" when
 * both engines were wrong and orgwarden was fixed; "undocumented" when no AWS page decides, and
 * orgwarden takes the reading under which a Deny applies and an Allow does not (the lockout guard
 * then refuses a change it cannot be sure of, and says what it assumed).
 */
export interface KnownDifference {
  id: string;
  what: string;
  awsSidesWith: "orgwarden" | "neither" | "undocumented";
  why: string;
  source: string;
  explains: (c: CorpusCase, ours: ScpDecision) => boolean;
}

const POLICY_VARIABLES = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html";
const OPERATORS =
  "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html";
const RESOURCE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html";
const MULTIVALUED =
  "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html";

export const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    id: "service-linked-role",
    what: "a service-linked role (role/aws-service-role/…) under a Deny that names it",
    awsSidesWith: "neither",
    why: '"SCPs do not affect any service-linked role": orgwarden now allows them; the simulator applies the SCP.',
    source: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html",
    explains: (_c, ours) => ours.effect === "ALLOW" && ours.exempt === "service-linked-role",
  },
  {
    id: "null-policy-variable",
    what: "a policy variable whose key is absent (no default) under a negated operator or in NotResource",
    awsSidesWith: "orgwarden",
    why: 'A variable with no value is "effectively null": nothing equals it or is like it, so StringNotEquals holds and NotResource excludes nothing. The simulator treats the whole comparison as failed.',
    source: `${POLICY_VARIABLES}#policy-vars-no-value`,
    explains: (c) => statementsOfCase(c).some((st) => unresolvedVariables(st, c).length > 0),
  },
  {
    id: "variable-in-arn-operator",
    what: "a policy variable inside an ArnLike/ArnEquals value",
    awsSidesWith: "orgwarden",
    why: '"You can use a policy variable for Condition values in any condition that involves the string operators or the ARN operators." The simulator leaves it unresolved.',
    source: `${POLICY_VARIABLES}#policy-vars-conditionelement`,
    explains: (c) =>
      statementsOfCase(c).some((st) =>
        Object.entries(st.Condition ?? {}).some(
          ([op, block]) => /Arn/.test(op) && JSON.stringify(block).includes("${"),
        ),
      ),
  },
  {
    id: "dollar-escape",
    what: "the ${$} escape",
    awsSidesWith: "orgwarden",
    why: "${$} stands for a literal $ (special characters); the simulator does not substitute it.",
    source: `${POLICY_VARIABLES}#policy-vars-specialchars`,
    explains: (c) => JSON.stringify(c.levels).includes("${$}"),
  },
  {
    id: "wildcard-in-variable-value",
    what: "a request value with * or ? substituted into a resource pattern",
    awsSidesWith: "undocumented",
    why: "The page gives escapes for writing literal * and ? in policy text; orgwarden reads a value from the request as literal text too (it is data, not a pattern).",
    source: `${POLICY_VARIABLES}#policy-vars-specialchars`,
    explains: (c) =>
      JSON.stringify(c.levels).includes("${aws:username}") &&
      /[*?]/.test(String(c.request.keys["aws:username"] ?? "")),
  },
  {
    id: "arn-pattern-star",
    what: 'ArnLike/ArnNotLike with the pattern "*"',
    awsSidesWith: "undocumented",
    why: 'The ARN operators compare "each of the six colon-delimited components"; "*" has one. orgwarden assumes the reading under which a Deny applies.',
    source: OPERATORS,
    explains: (_c, ours) => assumed(ours, 'pattern "*"'),
  },
  {
    id: "address-operator-on-non-address",
    what: "IpAddress/NotIpAddress on aws:SourceIp holding a service name",
    awsSidesWith: "undocumented",
    why: "No page says how an address operator reads a value that is not an address; orgwarden assumes the reading under which a Deny applies.",
    source: `${OPERATORS}#Conditions_IPAddress`,
    explains: (_c, ours) => assumed(ours, "no IP address"),
  },
  {
    id: "multivalued-key-without-set-operator",
    what: "a single-valued operator on a key with several values (aws:TagKeys)",
    awsSidesWith: "undocumented",
    why: '"Multivalued context keys require a condition set operator"; what happens without one is not documented. orgwarden assumes the reading under which a Deny applies.',
    source: MULTIVALUED,
    explains: (_c, ours) => assumed(ours, "without ForAnyValue/ForAllValues"),
  },
  {
    id: "for-any-value-if-exists-absent",
    what: "ForAnyValue:…IfExists on an absent key",
    awsSidesWith: "undocumented",
    why: "IfExists makes an absent key true, ForAnyValue makes it false; no page orders the two. orgwarden assumes the reading under which a Deny applies.",
    source: MULTIVALUED,
    explains: (_c, ours) => assumed(ours, "IfExists says true, ForAnyValue says false"),
  },
  {
    id: "cidr-slash-zero",
    what: "a /0 range (0.0.0.0/0, ::/0)",
    awsSidesWith: "orgwarden",
    why: "IP conditions take CIDR notation (RFC 4632), where /0 is every address of the family; the simulator matches none.",
    source: `${OPERATORS}#Conditions_IPAddress`,
    explains: (c) => JSON.stringify(c.levels).includes('/0"'),
  },
  {
    id: "bare-address-other-family",
    what: "an address without a prefix length against a caller of the other IP family",
    awsSidesWith: "orgwarden",
    why: "A single address is its own /32 or /128 range; an IPv4 caller is outside an IPv6 address and vice versa, so NotIpAddress holds.",
    source: `${OPERATORS}#Conditions_IPAddress`,
    explains: (c) => {
      const ip = String(c.request.keys["aws:SourceIp"] ?? "");
      const text = JSON.stringify(c.levels);
      return ip.includes(".") ? /"[0-9a-f]*:[0-9a-f:]*"/.test(text) : /"\d+\.\d+\.\d+\.\d+"/.test(text);
    },
  },
  {
    id: "short-arn-pattern-negated",
    what: "ArnNotLike/ArnNotEquals with a pattern of fewer than six components",
    awsSidesWith: "orgwarden",
    why: "Each of the six components is compared on its own, so a shorter pattern matches no ARN and the negated operator holds; the simulator treats the condition as failed.",
    source: OPERATORS,
    explains: (c) =>
      statementsOfCase(c).some((st) =>
        Object.entries(st.Condition ?? {}).some(
          ([op, block]) =>
            /ArnNot/.test(op) &&
            Object.values(block)
              .flat()
              .some((v) => String(v) !== "*" && String(v).split(":").length < 6),
        ),
      ),
  },
  {
    id: "short-arn-in-notresource",
    what: "a NotResource pattern with fewer than six components (arn:aws:iam::*)",
    awsSidesWith: "orgwarden",
    why: '"If the * wildcard is the last character of a resource ARN segment, it can expand to match beyond the colon boundaries": arn:aws:iam::* covers every IAM ARN and no other, so the Deny applies to the rest.',
    source: RESOURCE,
    explains: (c) =>
      statementsOfCase(c).some((st) =>
        [st.NotResource ?? []].flat().some((r) => r !== "*" && r.split(":").length < 6),
      ),
  },
  {
    id: "custom-oidc-provider-keys",
    what: "an RCP on the <provider>:sub key of a custom OIDC provider (token.actions.githubusercontent.com:sub)",
    awsSidesWith: "orgwarden",
    why: "IAM names the claims of any OIDC provider by its URL: <provider>:sub, :aud, :amr. The simulator knows only the keys of the providers it lists, drops the others as unknown, and so finds every token untrusted.",
    source:
      "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif",
    explains: (c) =>
      c.group === "rcps" &&
      c.request.action === "sts:AssumeRoleWithWebIdentity" &&
      Object.keys(c.request.keys).some((k) => /^[a-z0-9.-]+\.[a-z]{2,}(\/\S*)?:sub$/i.test(k)),
  },
];

function assumed(d: ScpDecision, phrase: string): boolean {
  return d.effect === "DENY" && (d.assumed ?? "").includes(phrase);
}

function statementsOfCase(c: CorpusCase): Statement[] {
  return c.levels.flatMap((l) =>
    l.policies.flatMap((p) => {
      const doc: PolicyDocument = p.document;
      return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    }),
  );
}

/** Keys of `${...}` variables in the statement that the request does not hold and that have no default. */
function unresolvedVariables(st: Statement, c: CorpusCase): string[] {
  const present = new Set(Object.keys(c.request.keys).map((k) => k.toLowerCase()));
  const text = JSON.stringify([st.Resource, st.NotResource, st.Condition]);
  return [...text.matchAll(/\$\{([^}]*)\}/g)]
    .map((m) => m[1] ?? "")
    .filter((body) => !["*", "?", "$"].includes(body) && !body.includes(","))
    .filter((key) => !present.has(key.toLowerCase()));
}
