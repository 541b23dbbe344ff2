import {
  type ConfigServiceClient,
  type ConfigurationRecorder,
  type ConfigurationRecorderStatus,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
  DescribeDeliveryChannelsCommand,
} from "@aws-sdk/client-config-service";
import type { ControlOutcome } from "../report-model.js";
import type { CheckContext } from "./account-check.js";
import { foldRegions, type RegionVerdict, regional } from "./regions.js";

/** config-recorder: AWS Config recording in every region checked, one row for the account. */
export function checkConfigRecorder(ctx: CheckContext): Promise<ControlOutcome[]> {
  return regional(
    ctx.settings,
    async (r) =>
      judgeRecorder(await readRecorder(ctx.clients.config(r)), {
        serviceLinkedRoleCheck: ctx.settings.configServiceLinkedRoleCheck ?? true,
      }),
    foldRecorders,
    "config:DescribeConfigurationRecorders",
  );
}

/** What one region's AWS Config setup says, for config-recorder. */
export interface RecorderFacts {
  recorders: ConfigurationRecorder[];
  statuses: ConfigurationRecorderStatus[];
  deliveryChannels: number;
}

/**
 * The reads of one region: the recorders, then — only when the account has a recorder of its own
 * (not a service-linked one) — their status and the delivery channels, which judgeRecorder reads
 * for that recorder only. Two calls fewer in a region without Config, and never a longer chain of
 * calls than the account's trails need.
 */
export async function readRecorder(config: ConfigServiceClient): Promise<RecorderFacts> {
  const recorders =
    (await config.send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders ?? [];
  if (!recorders.some((r) => !r.servicePrincipal)) return { recorders, statuses: [], deliveryChannels: 0 };
  const [statuses, channels] = await Promise.all([
    config.send(new DescribeConfigurationRecorderStatusCommand({})),
    config.send(new DescribeDeliveryChannelsCommand({})),
  ]);
  return {
    recorders,
    statuses: statuses.ConfigurationRecordersStatus ?? [],
    deliveryChannels: (channels.DeliveryChannels ?? []).length,
  };
}

/** Config.1's parameter, as Security Hub names it. */
export interface RecorderCheckOptions {
  /**
   * includeConfigServiceLinkedRoleCheck (Security Hub's default: true): the recorder must use the
   * service-linked role AWSServiceRoleForConfig, "because other roles might not have the necessary
   * permissions for AWS Config to accurately record your resources". false leaves the role unjudged.
   */
  serviceLinkedRoleCheck?: boolean;
}

/** The path of AWS Config's service-linked role, whatever the partition and account. */
const CONFIG_SERVICE_LINKED_ROLE =
  /^arn:aws[\w-]*:iam::\d{12}:role\/aws-service-role\/config\.amazonaws\.com\/AWSServiceRoleForConfig$/;

/**
 * Config in one region, as Security Hub's Config.1 reads it: a recorder that is recording, whose
 * last status is not FAILURE, that records all supported resource types (not an inclusion list),
 * with a delivery channel, and (includeConfigServiceLinkedRoleCheck, true unless set false) that
 * records with the service-linked role AWSServiceRoleForConfig.
 * https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html#config-1
 */
export function judgeRecorder(
  facts: RecorderFacts,
  options: RecorderCheckOptions = {},
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
  if ((options.serviceLinkedRoleCheck ?? true) && !CONFIG_SERVICE_LINKED_ROLE.test(recorder.roleARN ?? "")) {
    problems.push(
      `recorder ${name} records with ${recorder.roleARN ? `the role ${recorder.roleARN}` : "no role"}, not the service-linked role AWSServiceRoleForConfig (Config.1's includeConfigServiceLinkedRoleCheck; report --any-recorder-role or report.includeConfigServiceLinkedRoleCheck: false accepts another role)`,
    );
  }
  return problems.length > 0
    ? { status: "NON_COMPLIANT", reason: problems.join("; "), recordsGlobal }
    : {
        status: "COMPLIANT",
        reason: `recorder ${name} is recording all resource types${(options.serviceLinkedRoleCheck ?? true) ? " with the service-linked role" : ""}`,
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
  if (outcome.status === "COMPLIANT" && !outcome.noRegionJudged && !verdicts.some((v) => v.recordsGlobal)) {
    // Only the regions read can be named; refused ones stay in deniedRegions for the report to settle.
    const read = verdicts.filter((v) => v.status !== "DENIED").map((v) => v.region);
    return {
      ...(outcome.deniedRegions ? { deniedRegions: outcome.deniedRegions } : {}),
      control: "config-recorder",
      status: "NON_COMPLIANT",
      reason: `no region records global resource types (IAM users, roles, policies): set includeGlobalResourceTypes in one of ${read.join(" ")}`,
      region: read.join(" "),
    };
  }
  return outcome;
}
