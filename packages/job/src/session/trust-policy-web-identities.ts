import type { WebIdentity } from "@orgwarden/scp";

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Principal?: string | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * The OIDC providers a role's trust policy lets assume it (Allow statements with
 * sts:AssumeRoleWithWebIdentity and a Federated principal of an OIDC provider), each with the sub the
 * policy pins when it pins exactly one value without a wildcard. `certain` when the provider is the
 * role's only way in: then a runner in this role surely came through it. A SAML provider (Identity
 * Center) is not an OIDC path.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html
 */
export function webIdentitiesOfTrustPolicy(document: string, roleArn: string): WebIdentity[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeURIComponent(document));
  } catch {
    return [];
  }
  const statements = asList((parsed as { Statement?: Statement | Statement[] })?.Statement);
  const allows = statements.filter((s) => s.Effect === "Allow");
  const found = new Map<string, Set<string | undefined>>();
  let otherWays = false;
  for (const st of allows) {
    const principals = principalsOf(st);
    const providers = principals
      .filter((p) => p.kind === "Federated" && p.value.includes(":oidc-provider/"))
      .map((p) => p.value.slice(p.value.indexOf(":oidc-provider/") + ":oidc-provider/".length));
    const webIdentity = asList(st.Action).some((a) => /^sts:(AssumeRoleWithWebIdentity|\*)$|^\*$/i.test(a));
    if (providers.length === 0 || !webIdentity || principals.length > providers.length) otherWays = true;
    if (!webIdentity) continue;
    for (const provider of providers) {
      const subs = found.get(provider) ?? new Set<string | undefined>();
      subs.add(pinnedSubject(st, provider));
      found.set(provider, subs);
    }
  }
  const certain = !otherWays && found.size === 1;
  return [...found].map(([provider, subs]) => {
    const only = subs.size === 1 ? [...subs][0] : undefined;
    return { provider, ...(only !== undefined ? { subject: only } : {}), roleArn, certain };
  });
}

/** The one sub value a statement allows for the provider, when it names exactly one without a wildcard. */
function pinnedSubject(st: Statement, provider: string): string | undefined {
  const key = `${provider}:sub`.toLowerCase();
  const values = Object.entries(st.Condition ?? {})
    .filter(([op]) => /^String(Equals|Like)$/i.test(op))
    .flatMap(([, keys]) => Object.entries(keys).filter(([k]) => k.toLowerCase() === key))
    .flatMap(([, v]) => asList(v));
  return values.length === 1 && !/[*?]/.test(values[0] as string) ? values[0] : undefined;
}

function principalsOf(st: Statement): Array<{ kind: string; value: string }> {
  if (typeof st.Principal === "string") return [{ kind: "AWS", value: st.Principal }];
  return Object.entries(st.Principal ?? {}).flatMap(([kind, v]) =>
    asList(v).map((value) => ({ kind, value })),
  );
}

function asList<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
