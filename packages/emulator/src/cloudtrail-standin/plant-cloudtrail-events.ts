import { OrgwardenError } from "@orgwarden/core";
import { CLOUDTRAIL_EVENTS_PATH, type CloudTrailStandInState } from "./cloudtrail-standin.js";

/**
 * Plants CloudTrail records in the emulator at `endpoint` (PUT /orgwarden-standin/cloudtrail-events):
 * LookupEvents answers them in their recipientAccountId and awsRegion, a Lake query over all of them.
 * `lookupEventsPerSecond` changes the stand-in's LookupEvents quota (0: never throttle).
 */
export async function plantCloudTrailEvents(
  endpoint: string,
  records: readonly unknown[],
  options: { lookupEventsPerSecond?: number } = {},
): Promise<CloudTrailStandInState> {
  return control(endpoint, "PUT", JSON.stringify({ events: records, ...options }));
}

/** Forgets the planted records (the counts stay until /moto-api/reset). */
export async function clearCloudTrailEvents(endpoint: string): Promise<void> {
  await control(endpoint, "DELETE");
}

/** How many records are planted, and how many LookupEvents and Lake requests the stand-in answered. */
export async function cloudTrailStandInState(endpoint: string): Promise<CloudTrailStandInState> {
  return control(endpoint, "GET");
}

async function control(endpoint: string, method: string, body?: string): Promise<CloudTrailStandInState> {
  const res = await fetch(`${endpoint}${CLOUDTRAIL_EVENTS_PATH}`, { method, ...(body ? { body } : {}) });
  const text = await res.text();
  if (!res.ok)
    throw new OrgwardenError("EMULATOR", `the CloudTrail stand-in at ${endpoint} refused ${method}: ${text}`);
  return JSON.parse(text) as CloudTrailStandInState;
}
