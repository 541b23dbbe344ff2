import { partitionOfRegion } from "@orgwarden/core";
import { mapAction } from "./action-map.js";
import { parseDenial } from "./denial-message.js";
import { iamResourceArn } from "./iam-resource.js";
import type { ObservedCall, ParsedEvent, ParseOptions, SkipReason } from "./observed-call.js";
import { partitionOf, readPrincipal } from "./read-principal.js";
import { type Fields, fieldsOf, textOf } from "./record-fields.js";
import { readRequestOrigin } from "./request-origin.js";

/**
 * One CloudTrail record (a trail file's `Records[]` entry, LookupEvents' `CloudTrailEvent` parsed, a
 * Lake row's event) read as the request an SCP decides, or the reason it is not one. Fields:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 *
 * Runs on every event of a read, so it checks fields with typeof where it uses them (no schema per
 * record), compiles nothing per call, and keeps only what ObservedCall lists: never accessKeyId,
 * sessionCredentialFromConsole or responseElements, and of requestParameters only the name of the
 * IAM resource an IAM event's request names (iam-resource.ts), as its ARN.
 */
export function parseRecord(record: unknown, options: ParseOptions): ParsedEvent {
  const r = fieldsOf(record);
  const eventSource = textOf(r?.eventSource);
  const eventName = textOf(r?.eventName);
  const eventId = textOf(r?.eventID);
  const eventTime = textOf(r?.eventTime);
  const region = textOf(r?.awsRegion);
  const identity = fieldsOf(r?.userIdentity);
  if (!r || !eventSource || !eventName || !eventId || !eventTime || !region || !identity)
    return skip("unreadable", eventSource, eventName);
  // AwsApiCall is an API request; the other types (AwsServiceEvent, AwsConsoleAction, AwsConsoleSignIn,
  // AwsVpceEvent, Insights events) are not requests a principal's policies authorize. Records written
  // before eventVersion 1.02 have no eventType and are all API calls.
  const eventType = r.eventType;
  if (eventType !== undefined && eventType !== "AwsApiCall")
    return skip("not-an-api-call", eventSource, eventName);
  // An AWS service principal's own call: SCPs apply to an organization's principals only.
  if (identity.type === "AWSService") return skip("aws-service-principal", eventSource, eventName);
  const account = textOf(identity.accountId);
  if (!account) return skip("no-principal", eventSource, eventName);
  // A call on another account's resource is delivered to both accounts; the caller's account has the
  // copy whose recipientAccountId is its own, so the resource owner's copy is not counted again.
  const recipient = textOf(r.recipientAccountId);
  if (recipient !== undefined && recipient !== account)
    return skip("recorded-for-another-account", eventSource, eventName);
  if (account === options.managementAccountId) return skip("management-account", eventSource, eventName);
  const principal = readPrincipal(identity, account, region);
  if (typeof principal === "string") return skip(principal, eventSource, eventName);
  const mapping = mapAction(eventSource, eventName);
  if (mapping.kind === "none") return skip(mapping.reason, eventSource, eventName);

  const resource =
    firstResourceArn(r.resources) ??
    (eventSource === IAM
      ? iamResourceArn(r.requestParameters, account, partitionOf(principal.arn) ?? partitionOfRegion(region))
      : undefined);
  const call: ObservedCall = {
    eventId,
    eventTime,
    account,
    principalArn: principal.arn,
    principalKind: principal.kind,
    action: mapping.action,
    region,
    mfa: mfaOf(identity),
    ...(assumedRoot(identity) ? { assumedRoot: true } : {}),
    ...readRequestOrigin(r, identity, principal.kind),
    resource: resource ?? "*",
    resourceGuessed: resource === undefined,
  };
  const errorCode = textOf(r.errorCode);
  if (errorCode !== undefined) {
    const denial = parseDenial(errorCode, textOf(r.errorMessage));
    if (denial) call.denial = denial;
  }
  return { kind: "call", call };
}

const IAM = "iam.amazonaws.com";

function skip(
  reason: SkipReason,
  eventSource: string | undefined,
  eventName: string | undefined,
): ParsedEvent {
  return { kind: "skip", reason, eventSource, eventName };
}

/**
 * aws:MultiFactorAuthPresent: sessionContext.attributes.mfaAuthenticated for a session (a role's, a
 * console sign-in's, GetSessionToken's). A request signed with long-term access keys (AKIA…) has no
 * session and the key is absent from its context, whatever else the record holds
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent).
 */
function mfaOf(identity: Fields): boolean | undefined {
  if (textOf(identity.accessKeyId)?.startsWith("AKIA")) return undefined;
  const flag = fieldsOf(fieldsOf(identity.sessionContext)?.attributes)?.mfaAuthenticated;
  if (flag === "true" || flag === true) return true;
  if (flag === "false" || flag === false) return false;
  return undefined;
}

/**
 * aws:AssumedRoot: a call in a privileged root session from sts:AssumeRoot carries
 * sessionContext.assumedRoot "true" (https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-track-privileged-tasks.html);
 * without it, a root call is the root user's own (its password or keys) and the key is absent.
 */
function assumedRoot(identity: Fields): boolean {
  const flag = fieldsOf(identity.sessionContext)?.assumedRoot;
  return flag === "true" || flag === true;
}

/** The first `resources[].ARN` (S3 data events list the object, then its bucket). */
function firstResourceArn(resources: unknown): string | undefined {
  if (!Array.isArray(resources)) return undefined;
  for (const entry of resources) {
    const arn = textOf(fieldsOf(entry)?.ARN);
    if (arn) return arn;
  }
  return undefined;
}
