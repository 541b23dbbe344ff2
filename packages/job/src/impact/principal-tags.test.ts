import {
  IAMClient,
  ListRoleTagsCommand,
  type ListRoleTagsCommandInput,
  ListUserTagsCommand,
  type ListUserTagsCommandInput,
} from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { readPrincipalTags } from "./principal-tags.js";

const mock = mockClient(IAMClient);
afterEach(() => mock.reset());
const iamFor = () =>
  new IAMClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "s" } });

describe("readPrincipalTags", () => {
  it("reads every page of a user's and a role's tags, by name without the path", async () => {
    const asked: string[] = [];
    mock.on(ListUserTagsCommand).callsFake((input: ListUserTagsCommandInput) => {
      asked.push(`user ${input.UserName} ${input.Marker ?? "-"}`);
      return input.Marker
        ? { Tags: [{ Key: "team", Value: "build" }], IsTruncated: false }
        : { Tags: [{ Key: "orgwarden:mfa-exempt", Value: "true" }], IsTruncated: true, Marker: "m1" };
    });
    mock.on(ListRoleTagsCommand).callsFake((input: ListRoleTagsCommandInput) => {
      asked.push(`role ${input.RoleName} ${input.Marker ?? "-"}`);
      return { Tags: [], IsTruncated: false };
    });
    const { tags, failures } = await readPrincipalTags(
      iamFor,
      [
        { account: "111122223333", arn: "arn:aws:iam::111122223333:user/ci/ci-publisher" },
        { account: "111122223333", arn: "arn:aws:iam::111122223333:role/app/orders-api-task" },
        { account: "111122223333", arn: "arn:aws:iam::111122223333:user/ci/ci-publisher" },
        // Not an IAM user or role: no tags to read.
        { account: "111122223333", arn: "arn:aws:sts::111122223333:federated-user/build-bot" },
      ],
      4,
    );
    expect(failures).toEqual([]);
    expect(asked.sort()).toEqual(["role orders-api-task -", "user ci-publisher -", "user ci-publisher m1"]);
    expect(Object.fromEntries(tags)).toEqual({
      "arn:aws:iam::111122223333:user/ci/ci-publisher": { "orgwarden:mfa-exempt": "true", team: "build" },
      "arn:aws:iam::111122223333:role/app/orders-api-task": {},
    });
  });

  it("a principal whose tags cannot be read is a note naming the permission, and no tags", async () => {
    mock.on(ListRoleTagsCommand).rejects(
      Object.assign(new Error("not authorized to perform: iam:ListRoleTags"), {
        name: "AccessDenied",
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const { tags, failures } = await readPrincipalTags(
      iamFor,
      [{ account: "111122223333", arn: "arn:aws:iam::111122223333:role/deploy" }],
      4,
    );
    expect(tags.size).toBe(0);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(
      /^the tags of arn:aws:iam::111122223333:role\/deploy could not be read \(.*\): its calls stay undetermined; allow iam:ListRoleTags/,
    );
  });
});
