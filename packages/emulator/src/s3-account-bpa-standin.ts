import type { ServerResponse } from "node:http";
import { type StandInRequest, sendAnswer, sendAwsError } from "./wire-protocol.js";

/**
 * S3 organization-level Block Public Access over moto's S3 Control, which keeps account settings but
 * knows no S3 policy. While an S3 policy on the account's path sets
 * `public_access_block_configuration`, GetPublicAccessBlock answers the account's effective
 * configuration from it (`all`: the four settings on, `none`: off) and PutPublicAccessBlock and
 * DeletePublicAccessBlock are refused with AccessDenied; otherwise moto answers with the account's
 * own settings, which come back when the policy goes.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetPublicAccessBlock.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_PutPublicAccessBlock.html
 */
export interface S3AccountBpaStandIn {
  handle(r: StandInRequest, res: ServerResponse, callerAccount: () => Promise<string>): Promise<boolean>;
}

const PATH = "/v20180820/configuration/publicAccessBlock";
const NS = "http://awss3control.amazonaws.com/doc/2018-08-20/";

export function s3AccountBpaStandIn(
  effective: (accountId: string) => Promise<Record<string, unknown> | undefined>,
): S3AccountBpaStandIn {
  return {
    handle: async (r, res, callerAccount) => {
      if ((r.req.url ?? "").split("?")[0] !== PATH) return false;
      const account = String(r.req.headers["x-amz-account-id"] ?? "");
      // Another account's settings are moto's to refuse.
      if (account !== (await callerAccount())) return false;
      const attributes = (await effective(account))?.s3_attributes as Record<string, unknown> | undefined;
      const setting = attributes?.public_access_block_configuration;
      if (setting !== "all" && setting !== "none") return false;
      if (r.req.method !== "GET") {
        sendAwsError(
          res,
          "query",
          403,
          "AccessDenied",
          "The account's Block Public Access settings are managed by an organization-level S3 policy.",
        );
        return true;
      }
      const on = String(setting === "all");
      const body = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]
        .map((s) => `<${s}>${on}</${s}>`)
        .join("");
      sendAnswer(
        res,
        "query",
        `<?xml version="1.0" encoding="UTF-8"?><PublicAccessBlockConfiguration xmlns="${NS}">${body}</PublicAccessBlockConfiguration>`,
      );
      return true;
    },
  };
}
