import { IAMClient, paginateListRoleTags, paginateListUserTags, type Tag } from "@aws-sdk/client-iam";
import { AccountClients, describeAwsError } from "@orgwarden/core";
import type { PolicyTerms } from "@orgwarden/scp";
import pLimit from "p-limit";
import type { JobSession } from "../session/session.js";
import type { ChangePaths } from "./change-paths.js";
import { hangingOnPrincipalTags, type Judged, rejudgeWithTags } from "./judge-tuples.js";
import type { OrganizationSetting } from "./tuple-request.js";

/**
 * The verdicts that hang only on the principal's own tags, decided by reading them from IAM in the
 * principal's account (orgwarden's member role); a principal whose tags cannot be read keeps its
 * verdict undetermined, with a note. Returns how many principals' tags were read.
 */
export async function decideOnPrincipalTags(
  session: JobSession,
  judged: Judged[],
  paths: ChangePaths,
  org: OrganizationSetting,
  terms: PolicyTerms,
  notes: string[],
): Promise<number> {
  const onTags = hangingOnPrincipalTags(judged);
  if (onTags.length === 0) return 0;
  const clients = new AccountClients(session.factory, await session.roleAssumer());
  const iam = onTags.filter((j) => j.tuple.principalKind !== "root");
  const { tags, failures } = await readPrincipalTags(
    (account) => clients.get(IAMClient, account),
    iam.map((j) => ({ account: j.tuple.account, arn: j.tuple.principalArn })),
    session.options.concurrency,
  );
  notes.push(...failures);
  const read = tags.size;
  // The root user has no tags: aws:PrincipalTag is never in its requests.
  for (const j of onTags) if (j.tuple.principalKind === "root") tags.set(j.tuple.principalArn, {});
  rejudgeWithTags(onTags, paths, org, terms, tags);
  return read;
}

/**
 * The IAM tags of users and roles, each read in its own account (`iamFor`) with ListUserTags or
 * ListRoleTags, every page, for verdicts that hang on aws:PrincipalTag. A user's request carries
 * its IAM tags; a role session carries the role's tags, which session tags can override (those are
 * not recorded: the README says so). Any other ARN is left out.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag
 */
export async function readPrincipalTags(
  iamFor: (account: string) => IAMClient,
  principals: ReadonlyArray<{ account: string; arn: string }>,
  concurrency: number,
): Promise<{ tags: Map<string, Record<string, string>>; failures: string[] }> {
  const unique = new Map(principals.map((p) => [p.arn, p]));
  const limit = pLimit(Math.max(1, concurrency));
  const tags = new Map<string, Record<string, string>>();
  const failures: string[] = [];
  await Promise.all(
    [...unique.values()].map((p) =>
      limit(async () => {
        const parsed = /^arn:[^:]+:iam::\d{12}:(user|role)\/(?:.*\/)?([^/]+)$/.exec(p.arn);
        if (!parsed) return;
        const [, kind, name] = parsed as unknown as [string, "user" | "role", string];
        const client = iamFor(p.account);
        try {
          const found: Record<string, string> = {};
          const pages: AsyncIterable<{ Tags?: Tag[] }> =
            kind === "user"
              ? paginateListUserTags({ client }, { UserName: name })
              : paginateListRoleTags({ client }, { RoleName: name });
          for await (const page of pages)
            for (const t of page.Tags ?? []) if (t.Key) found[t.Key] = t.Value ?? "";
          tags.set(p.arn, found);
        } catch (err) {
          const e = describeAwsError(err, "IAM");
          failures.push(
            `the tags of ${p.arn} could not be read (${e.message}): its calls stay undetermined; allow iam:List${kind === "user" ? "User" : "Role"}Tags to orgwarden's role`,
          );
        }
      }),
    ),
  );
  return { tags, failures };
}
