import { type ActionCatalogue, readShippedActionCatalogue } from "./action-catalogue.js";
import { ACTION_OVERRIDES, NEEDS_NO_PERMISSION } from "./action-overrides.js";
import { servicePrefixOf } from "./service-prefix.js";

/** The IAM action a CloudTrail event asks for, or why it names none. */
export type ActionMapping =
  | { kind: "action"; action: string }
  | { kind: "none"; reason: "no-action-mapped" | "needs-no-permission" };

const NO_ACTION: ActionMapping = { kind: "none", reason: "no-action-mapped" };
const NO_PERMISSION: ActionMapping = { kind: "none", reason: "needs-no-permission" };

/**
 * Lambda and CloudFront put their API version in the event name: `CreateFunction20150331`,
 * `UpdateFunctionCode20150331v2`, `UpdateDistribution2020_05_31` ("it is still referring to the same
 * public API", https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html).
 */
const DATED_NAME = /^(.+?)(?:20\d{6}(?:v\d+)?|20\d\d_\d\d_\d\d)$/;

/**
 * eventSource + eventName → IAM action, in this order: calls that need no permission; the reviewed
 * overrides (action-overrides.ts); `prefix:eventName` when the catalogue has it; the same without a
 * dated suffix. The overrides come before the catalogue because some event names are actions that do
 * not authorize the call (sts:GetCallerIdentity is in the catalogue, yet no policy can deny it).
 * Each pair is worked out once: a read sees a few hundred distinct pairs in a million events.
 */
export class ActionMap {
  private readonly known = new Map<string, Map<string, ActionMapping>>();

  constructor(private readonly catalogue: ActionCatalogue) {}

  map(eventSource: string, eventName: string): ActionMapping {
    let names = this.known.get(eventSource);
    if (!names) {
      names = new Map();
      this.known.set(eventSource, names);
    }
    let mapping = names.get(eventName);
    if (!mapping) {
      mapping = this.work(eventSource, eventName);
      names.set(eventName, mapping);
    }
    return mapping;
  }

  private work(eventSource: string, eventName: string): ActionMapping {
    const prefix = servicePrefixOf(eventSource);
    const key = `${prefix}:${eventName}`;
    if (NEEDS_NO_PERMISSION.has(key)) return NO_PERMISSION;
    const override = ACTION_OVERRIDES.get(key);
    if (override) return { kind: "action", action: override.action };
    if (!this.catalogue.hasService(prefix)) return NO_ACTION;
    const name =
      this.catalogue.actionName(prefix, eventName) ??
      this.catalogue.actionName(prefix, DATED_NAME.exec(eventName)?.[1] ?? "");
    return name ? { kind: "action", action: `${prefix}:${name}` } : NO_ACTION;
  }
}

let shipped: ActionMap | undefined;

/**
 * The map over the shipped catalogue, read on the first call (not at import: a command that reads no
 * activity never loads the half megabyte). The catalogue is constant data for the process's life, so
 * one map serves every read.
 */
export function mapAction(eventSource: string, eventName: string): ActionMapping {
  shipped ??= new ActionMap(readShippedActionCatalogue());
  return shipped.map(eventSource, eventName);
}
