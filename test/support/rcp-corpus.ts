import {
  buildResourceProbes,
  type EvaluatedPolicy,
  loadPolicyLibrary,
  type Operator,
  type PolicyLevel,
  RCP_KIND,
  type RcpParameterInput,
  rcpParameters,
  renderPolicy,
} from "@orgwarden/scp";
import type { CorpusCase } from "./evaluator-corpus.js";

/** The member account whose resources are called, and the organization it is in. */
export const RCP_ACCOUNT = "111122223333";
const ORG_ID = "o-a1b2c3d4e5";

const RCP_FULL: EvaluatedPolicy = {
  name: "RCPFullAWSAccess",
  managed: false,
  document: {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
  },
};

const BASE: RcpParameterInput = { roleName: "OrganizationAccountAccessRole", organizationId: ORG_ID };
const GITHUB = "token.actions.githubusercontent.com";
const OPTIONS: Array<{ tag: string; input: RcpParameterInput; operator?: Operator }> = [
  { tag: "", input: BASE },
  {
    tag: "+trusted",
    input: { ...BASE, trustedAccounts: ["999988887777"], trustedOrganizations: ["o-partner1234"] },
    operator: {
      accountId: "999988887777",
      principalArn: "arn:aws:iam::999988887777:role/ci",
      inOrganization: false,
    },
  },
  {
    tag: "+oidc",
    input: {
      ...BASE,
      trustedOidcProviders: [`${GITHUB}=repo:example/*`, "gitlab.com=project_path:example/*"],
    },
    operator: {
      accountId: RCP_ACCOUNT,
      principalArn: `arn:aws:iam::${RCP_ACCOUNT}:role/deploy`,
      inOrganization: true,
      webIdentities: [
        {
          provider: GITHUB,
          subject: "repo:example/infra:ref:refs/heads/main",
          roleArn: `arn:aws:iam::${RCP_ACCOUNT}:role/deploy`,
        },
      ],
    },
  },
];

/**
 * The resource-side guard's probe requests against every RCP of the library, with each option: the
 * RCP attached on an OU below a root that has RCPFullAWSAccess, as apply-rcp leaves it.
 */
export function buildRcpCorpus(): CorpusCase[] {
  const library = loadPolicyLibrary(undefined, RCP_KIND);
  const cases: CorpusCase[] = [];
  for (const option of OPTIONS) {
    const params = rcpParameters(option.input);
    const probes = buildResourceProbes(params, new Set(library.keys()), {
      account: RCP_ACCOUNT,
      organizationId: ORG_ID,
      ...(option.operator ? { operator: option.operator } : {}),
    });
    for (const template of library.values()) {
      let policy: EvaluatedPolicy;
      try {
        const r = renderPolicy(template, params);
        policy = { name: r.managedName, document: r.document, managed: true };
      } catch {
        continue; // trusted-oidc-providers needs a provider: the options without one skip it.
      }
      const levels: PolicyLevel[] = [
        { nodeId: "r-ab12", nodePath: "Root", policies: [RCP_FULL] },
        { nodeId: "ou-ab12-11111111", nodePath: "Root/Workloads", policies: [RCP_FULL, policy] },
      ];
      for (const probe of probes) {
        probe.requests.forEach((request, i) => {
          cases.push({
            id: `rcps/${template.name}${option.tag}/${probe.id}/${i}`,
            group: "rcps",
            levels,
            request,
          });
        });
      }
    }
  }
  return cases;
}
