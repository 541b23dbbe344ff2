import { isRegionName, OrgwardenError } from "@orgwarden/core";
import { REPORT_SOURCES, type ReportSource } from "@orgwarden/report";
import { parseChoice } from "./parse-choice.js";

/** `--source check,config,scp`: the report's sources; undefined when not given (the report picks). */
export function parseSources(raw: string | undefined): ReportSource[] | undefined {
  if (raw === undefined) return undefined;
  const list = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0)
    throw new OrgwardenError("INVALID_INPUT", "--source needs at least one of check, config, scp");
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
