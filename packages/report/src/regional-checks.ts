import {
  type ConfigServiceClient,
  type ConfigurationRecorder,
  type ConfigurationRecorderStatus,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
  DescribeDeliveryChannelsCommand,
} from "@aws-sdk/client-config-service";
import { GetDetectorCommand, type GuardDutyClient, ListDetectorsCommand } from "@aws-sdk/client-guardduty";
import { type ControlId, describeAwsError, isAwsError } from "@orgwarden/core";
import pLimit from "p-limit";
import type { ControlOutcome } from "./report-model.js";

/** One region's answer for a regional control. */
export interface RegionVerdict {
  region: string;
  /** DENIED: the call was refused (e.g. a region-deny SCP); the region is named, not judged. */
  status: "COMPLIANT" | "NON_COMPLIANT" | "ERROR" | "DENIED";
  reason: string;
  resourceType?: string;
  resourceId?: string;
}

/** Regions of one account are checked a few at a time: each region is one or two calls per control. */
const REGIONS_AT_ONCE = 4;

/** Runs `check` in every region (at most four at once); a failed region is an ERROR verdict, not a failed account. */
export async function inEveryRegion<V extends Omit<RegionVerdict, "region">>(
  regions: readonly string[],
  check: (region: string) => Promise<V>,
): Promise<Array<RegionVerdict & Partial<V>>> {
  const limit = pLimit(REGIONS_AT_ONCE);
  return Promise.all(
    regions.map((region) =>
      limit(async (): Promise<RegionVerdict & Partial<V>> => {
        try {
          return { region, ...(await check(region)) };
        } catch (err) {
          const e = describeAwsError(err);
          const denied = isAwsError(err, "AccessDenied", "AccessDeniedException");
          const failed: RegionVerdict = {
            region,
            status: denied ? "DENIED" : "ERROR",
            reason: e.hint ? `${e.message} (${e.hint})` : e.message,
          };
          // A failed region has none of the check's own fields (e.g. recordsGlobal).
          return failed as RegionVerdict & Partial<V>;
        }
      }),
    ),
  );
}

/**
 * One row from the regions: COMPLIANT only when every region is; otherwise the failing regions are
 * named in the reason and in `region`. An ERROR in a region (and no failure elsewhere) is an ERROR.
 */
export function foldRegions(control: ControlId, verdicts: readonly RegionVerdict[]): ControlOutcome {
  const denied = verdicts.filter((v) => v.status === "DENIED");
  if (denied.length > 0 && denied.length < verdicts.length) {
    // Regions the role may not call (a region-deny SCP) are named, and the rest judged.
    const outcome = foldRegions(
      control,
      verdicts.filter((v) => v.status !== "DENIED"),
    );
    return {
      ...outcome,
      reason: `${outcome.reason}; not checked in ${denied.map((v) => v.region).join(" ")} (access denied there, e.g. by a region-deny SCP)`,
    };
  }
  const failing = verdicts.filter((v) => v.status === "NON_COMPLIANT");
  const errors = verdicts.filter((v) => v.status === "ERROR" || v.status === "DENIED");
  const describe = (list: readonly RegionVerdict[]) => list.map((v) => `${v.region}: ${v.reason}`).join("; ");
  if (verdicts.length === 0) {
    return { control, status: "ERROR", reason: "no region to check", region: "" };
  }
  if (failing.length > 0) {
    return {
      control,
      status: "NON_COMPLIANT",
      reason: `not compliant in ${failing.length} of ${verdicts.length} regions: ${describe(failing)}${errors.length ? `; could not check ${describe(errors)}` : ""}`,
      region: failing.map((v) => v.region).join(" "),
    };
  }
  if (errors.length > 0) {
    return {
      control,
      status: "ERROR",
      reason: `could not check ${errors.length} of ${verdicts.length} regions: ${describe(errors)}`,
      region: errors.map((v) => v.region).join(" "),
    };
  }
  const one = verdicts.length === 1 ? verdicts[0] : undefined;
  return {
    control,
    status: "COMPLIANT",
    reason: one ? one.reason : `compliant in all ${verdicts.length} regions`,
    region: verdicts.map((v) => v.region).join(" "),
    ...(one?.resourceType ? { resourceType: one.resourceType, resourceId: one.resourceId ?? "" } : {}),
  };
}

/**
 * GuardDuty in one region, as GUARDDUTY_ENABLED_CENTRALIZED judges it: a detector whose status is
 * ENABLED. https://docs.aws.amazon.com/config/latest/developerguide/guardduty-enabled-centralized.html
 */
export async function guardDutyIn(guardduty: GuardDutyClient): Promise<Omit<RegionVerdict, "region">> {
  const ids = (await guardduty.send(new ListDetectorsCommand({}))).DetectorIds ?? [];
  if (ids.length === 0) return { status: "NON_COMPLIANT", reason: "no GuardDuty detector" };
  for (const id of ids) {
    const d = await guardduty.send(new GetDetectorCommand({ DetectorId: id }));
    if (d.Status === "ENABLED") {
      return {
        status: "COMPLIANT",
        reason: `detector ${id} is enabled`,
        resourceType: "AWS::GuardDuty::Detector",
        resourceId: id,
      };
    }
  }
  return { status: "NON_COMPLIANT", reason: `detector(s) disabled: ${ids.join(" ")}` };
}

/** What one region's AWS Config setup says, for config-recorder. */
export interface RecorderFacts {
  recorders: ConfigurationRecorder[];
  statuses: ConfigurationRecorderStatus[];
  deliveryChannels: number;
}

/** The three reads of one region: recorders, their status, delivery channels. */
export async function readRecorder(config: ConfigServiceClient): Promise<RecorderFacts> {
  const [recorders, statuses, channels] = await Promise.all([
    config.send(new DescribeConfigurationRecordersCommand({})),
    config.send(new DescribeConfigurationRecorderStatusCommand({})),
    config.send(new DescribeDeliveryChannelsCommand({})),
  ]);
  return {
    recorders: recorders.ConfigurationRecorders ?? [],
    statuses: statuses.ConfigurationRecordersStatus ?? [],
    deliveryChannels: (channels.DeliveryChannels ?? []).length,
  };
}

/**
 * Config in one region, as Security Hub's Config.1 reads it: a recorder that is recording, whose
 * last status is not FAILURE, that records all supported resource types (not an inclusion list),
 * with a delivery channel. https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html
 */
export function judgeRecorder(
  facts: RecorderFacts,
): Omit<RegionVerdict, "region"> & { recordsGlobal: boolean } {
  // Service-linked recorders (with a servicePrincipal) belong to other services; the customer's counts.
  const own = facts.recorders.filter((r) => !r.servicePrincipal);
  const recorder = own[0];
  if (!recorder)
    return { status: "NON_COMPLIANT", reason: "no configuration recorder", recordsGlobal: false };
  const name = recorder.name ?? "default";
  const status = facts.statuses.find((s) => s.name === recorder.name);
  const group = recorder.recordingGroup;
  const strategy = group?.recordingStrategy?.useOnly;
  // Anything but all supported types (an inclusion or an exclusion list) is a partial recorder.
  const partial =
    (strategy !== undefined && strategy !== "ALL_SUPPORTED_RESOURCE_TYPES") ||
    (strategy === undefined && group?.allSupported === false);
  const recordsGlobal =
    (group?.allSupported !== false && group?.includeGlobalResourceTypes === true) ||
    (group?.resourceTypes ?? []).some((t) => t.startsWith("AWS::IAM::"));
  const problems: string[] = [];
  if (!status?.recording) problems.push(`recorder ${name} is not recording`);
  if (status && String(status.lastStatus ?? "").toUpperCase() === "FAILURE") {
    problems.push(
      `recorder ${name}'s last recording failed${status.lastErrorCode ? ` (${status.lastErrorCode}: ${status.lastErrorMessage ?? ""})` : ""}`,
    );
  }
  if (partial) {
    problems.push(
      strategy === "EXCLUSION_BY_RESOURCE_TYPES"
        ? `recorder ${name} excludes ${(group?.exclusionByResourceTypes?.resourceTypes ?? []).length} resource types`
        : `recorder ${name} records only ${(group?.resourceTypes ?? []).length} resource types`,
    );
  }
  if (facts.deliveryChannels === 0) problems.push("no delivery channel");
  return problems.length > 0
    ? { status: "NON_COMPLIANT", reason: problems.join("; "), recordsGlobal }
    : {
        status: "COMPLIANT",
        reason: `recorder ${name} is recording all resource types`,
        resourceType: "AWS::Config::ConfigurationRecorder",
        resourceId: name,
        recordsGlobal,
      };
}

/** The account's config-recorder row: every region recording, and global types recorded in one of them. */
export function foldRecorders(
  verdicts: ReadonlyArray<RegionVerdict & { recordsGlobal?: boolean }>,
): ControlOutcome {
  const outcome = foldRegions("config-recorder", verdicts);
  if (outcome.status === "COMPLIANT" && !verdicts.some((v) => v.recordsGlobal)) {
    return {
      control: "config-recorder",
      status: "NON_COMPLIANT",
      reason: `no region records global resource types (IAM users, roles, policies): set includeGlobalResourceTypes in one of ${verdicts.map((v) => v.region).join(" ")}`,
      region: verdicts.map((v) => v.region).join(" "),
    };
  }
  return outcome;
}
