import { IAMClient, ListRoleTagsCommand, ListUserTagsCommand } from "@aws-sdk/client-iam";
import { AccountClients, describeAwsError } from "@orgwarden/core";
import pLimit from "p-limit";
import type { JobSession } from "../session/session.js";

/**
 * The IAM tags of users and roles, read in their own accounts (ListUserTags, ListRoleTags with
 * orgwarden's member role), for verdicts that hang on aws:PrincipalTag. A user's request carries
 * its IAM tags; a role session carries the role's tags, which session tags can override (those are
 * not recorded: the README says so).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag
 */
export async function readPrincipalTags(
  session: JobSession,
  principals: ReadonlyArray<{ account: string; arn: string }>,
): Promise<{ tags: Map<string, Record<string, string>>; failures: string[] }> {
  const unique = new Map(principals.map((p) => [p.arn, p]));
  const clients = new AccountClients(session.factory, await session.roleAssumer());
  const limit = pLimit(session.options.concurrency);
  const tags = new Map<string, Record<string, string>>();
  const failures: string[] = [];
  await Promise.all(
    [...unique.values()].map((p) =>
      limit(async () => {
        const parsed = /^arn:[^:]+:iam::\d{12}:(user|role)\/(?:.*\/)?([^/]+)$/.exec(p.arn);
        if (!parsed) return;
        const [, kind, name] = parsed as unknown as [string, "user" | "role", string];
        const iam = clients.get(IAMClient, p.account);
        try {
          const found: Record<string, string> = {};
          let marker: string | undefined;
          do {
            const out =
              kind === "user"
                ? await iam.send(new ListUserTagsCommand({ UserName: name, Marker: marker }))
                : await iam.send(new ListRoleTagsCommand({ RoleName: name, Marker: marker }));
            for (const t of out.Tags ?? []) if (t.Key) found[t.Key] = t.Value ?? "";
            marker = out.IsTruncated ? out.Marker : undefined;
          } while (marker);
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
