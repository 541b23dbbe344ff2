import type { ObservedCall, SkipReason } from "./observed-call.js";

/**
 * Calls that are the same request to an SCP, counted: (account, principal, action, region, MFA,
 * address, endpoint, via a service, resource). Each tuple is evaluated once per effective SCP set.
 */
export interface CallTuple {
  account: string;
  principalArn: string;
  principalKind: ObservedCall["principalKind"];
  action: string;
  region: string;
  mfa: boolean | undefined;
  /** aws:AssumedRoot "true": a privileged root session from sts:AssumeRoot. */
  assumedRoot?: true;
  sourceIp?: string;
  sourceVpce?: string;
  viaAwsService: boolean;
  /** Keys the calls carried whose value the events do not show. */
  openKeys?: ObservedCall["openKeys"];
  resource: string;
  resourceGuessed: boolean;
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Up to three event ids, the first seen. */
  sampleEventIds: string[];
  /** Events of this tuple that recorded a denial, and the last of them. */
  denied: number;
  lastDenial?: ObservedCall["denial"];
}

/** What a read saw and did not evaluate, for the coverage header. */
export interface ReadCounts {
  eventsRead: number;
  evaluated: number;
  skipped: Record<SkipReason, number>;
  /** For no-action-mapped: the most frequent eventSource/eventName pairs, with counts (at most 20). */
  unmapped: { eventSource: string; eventName: string; count: number }[];
}
