import { isRegionName, OrgwardenError } from "@orgwarden/core";
import { REPORT_SOURCES, type ReportSource } from "@orgwarden/report";
import type { RuleSettings } from "@orgwarden/rules";
import { TAG_KEY_HINT, tagKey } from "../config/field-rules.js";
import type { RunConfig } from "../config/run-config.js";
import { connectionRegions } from "./connection-settings.js";
import { parseChoice } from "./parse-choice.js";
import { type RuleFlags, ruleSettings } from "./rule-settings.js";

/** report's flags that have a field in orgwarden.yaml (the rest, --output, --out, --shard, are the command's). */
export interface ReportFlags extends RuleFlags {
  ou?: string;
  source?: string;
  failOn?: string;
  aggregator?: string;
  regions?: string;
  /** true: --root-audit, false: --no-root-audit, undefined: neither. */
  rootAudit?: boolean;
  /** true: --security-hub, false: --no-security-hub, undefined: neither. */
  securityHub?: boolean;
  securityHubRegion?: string;
  mfaExemptTagKey?: string;
  /** --any-recorder-role: Config.1's includeConfigServiceLinkedRoleCheck off. */
  anyRecorderRole?: boolean;
}

export interface ReportSettings {
  /** Only the accounts under this OU, root or account (id or path); undefined: every account. */
  ou: string | undefined;
  /** undefined: the report picks (check, scp, and config when orgwarden's rules are deployed). */
  sources: ReportSource[] | undefined;
  failOn: "non-compliant" | "none";
  aggregator: string | undefined;
  rootAudit: boolean;
  /** The region whose Security Hub gets the findings; undefined: no import. */
  securityHubRegion: string | undefined;
  /** Regional controls here; undefined: every region each account has enabled. */
  regions: string[] | undefined;
  rules: RuleSettings;
  mfaExemptTagKey: string | undefined;
  /**
   * Security Hub Config.1's includeConfigServiceLinkedRoleCheck: config-recorder passes only with
   * AWSServiceRoleForConfig. https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html#config-1
   */
  configServiceLinkedRoleCheck: boolean;
}

/** The values `report` and `run` use when neither a flag nor the file sets them (the schema's defaults). */
// rootAudit is off unless asked: each audit is an AssumeRoot session, a privileged event in the
// member's CloudTrail, and the account summary already answers the root controls.
const DEFAULTS = { failOn: "none", rootAudit: false, configServiceLinkedRoleCheck: true } as const;

/**
 * The report family's one merge, for `report` and `run` alike: a flag wins, then orgwarden.yaml
 * (`report:`, `connection.regions`, `mfaPolicyName`, `passwordPolicy`, `mfaExemptTagKey`), then the
 * default. `report.formats` and `report.outputDir` are run's files; report writes --output to --out.
 * Every value is checked here, before any AWS call.
 */
export function reportSettings(
  flags: ReportFlags,
  config: RunConfig | undefined,
  home: string,
): ReportSettings {
  const file = config?.report;
  const failOn =
    flags.failOn === undefined
      ? (file?.failOn ?? DEFAULTS.failOn)
      : parseChoice("fail-on", flags.failOn, ["non-compliant", "none"] as const);
  if (flags.mfaExemptTagKey !== undefined && !tagKey.safeParse(flags.mfaExemptTagKey).success)
    throw new OrgwardenError(
      "INVALID_INPUT",
      `--mfa-exempt-tag-key: "${flags.mfaExemptTagKey}" is not an IAM tag key`,
      { hint: TAG_KEY_HINT },
    );
  return {
    ou: flags.ou ?? file?.ou,
    sources: parseSources(flags.source) ?? file?.sources,
    failOn,
    aggregator: flags.aggregator ?? file?.aggregator,
    rootAudit: flags.rootAudit ?? file?.rootAudit ?? DEFAULTS.rootAudit,
    securityHubRegion: hubRegion(flags, file?.securityHub, home),
    regions: connectionRegions(flags.regions, config),
    rules: ruleSettings(flags, config),
    mfaExemptTagKey: flags.mfaExemptTagKey ?? config?.mfaExemptTagKey,
    configServiceLinkedRoleCheck: flags.anyRecorderRole
      ? false
      : (file?.includeConfigServiceLinkedRoleCheck ?? DEFAULTS.configServiceLinkedRoleCheck),
  };
}

/** --security-hub-region, --security-hub / --no-security-hub, then report.securityHub (true or { region }). */
function hubRegion(
  flags: ReportFlags,
  file: RunConfig["report"]["securityHub"],
  home: string,
): string | undefined {
  if (flags.securityHub === false) {
    if (flags.securityHubRegion !== undefined)
      throw new OrgwardenError(
        "INVALID_INPUT",
        "--no-security-hub and --security-hub-region contradict each other",
        {
          hint: "Leave out one of them.",
        },
      );
    return undefined;
  }
  // --security-hub-region alone means --security-hub too.
  if (flags.securityHubRegion !== undefined)
    return securityHubRegion(flags.securityHubRegion, home, "--security-hub-region");
  const fileRegion = typeof file === "object" ? file.region : undefined;
  if (flags.securityHub || file) return securityHubRegion(fileRegion, home, "report.securityHub.region");
  return undefined;
}

/** `--source check,config,scp`: the report's sources; undefined when not given (the report picks). */
export function parseSources(raw: string | undefined): ReportSource[] | undefined {
  if (raw === undefined) return undefined;
  const list = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0)
    throw new OrgwardenError("INVALID_INPUT", `--source needs at least one of ${REPORT_SOURCES.join(", ")}`);
  return [...new Set(list.map((s) => parseChoice("source", s, REPORT_SOURCES)))];
}

/** The region of --security-hub-region (or report.securityHub.region), checked before any AWS call. */
export function securityHubRegion(raw: string | undefined, home: string, option: string): string {
  const region = raw ?? home;
  if (!isRegionName(region))
    throw new OrgwardenError("INVALID_INPUT", `${option}: "${region}" is not a region name`, {
      hint: "Give the region whose Security Hub receives the findings, e.g. us-east-1.",
    });
  return region;
}
