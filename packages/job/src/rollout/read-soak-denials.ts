import {
  type ActivitySource,
  CallAggregator,
  type CallTuple,
  parseRecord,
  type ReadFailure,
  type ReadWindow,
} from "@orgwarden/activity";
import { orgPathOf, requireTarget } from "@orgwarden/core";
import { evaluateScps, type PolicyLevel, simulationPaths } from "@orgwarden/scp";
import { tupleRequest } from "../impact/tuple-request.js";
import type { JobSession } from "../session/session.js";
import { judgeDenial } from "./count-denial.js";
import type { DenialSeen, PolicyRef, RolloutStage } from "./rollout-state.js";

/** One look at a soaking stage: the denials read since it was attached, each judged. */
export interface SoakReading {
  /** Counted first, then the biggest. */
  denials: DenialSeen[];
  /** Denied events that count against the stage (what --max-new-denials is compared with). */
  counted: number;
  failures: ReadFailure[];
  eventsRead: number;
}

export interface SoakInput {
  stage: Pick<RolloutStage, "id" | "attached">;
  source: ActivitySource;
  regions: readonly string[];
  window: ReadWindow;
  progress?: (message: string) => void;
}

/**
 * Reads the errors recorded in the stage's accounts over the window (the source filters to errors
 * where it can) and judges each call that was denied by the counting rule (judgeDenial): on the
 * account's SCP path as it is, and as it would be without the policies the stage attached.
 */
export async function readSoakDenials(session: JobSession, input: SoakInput): Promise<SoakReading> {
  const inventory = await session.inventory();
  const target = requireTarget(inventory, input.stage.id);
  const attached: PolicyRef[] = input.stage.attached.flatMap((p) =>
    p.id ? [{ name: p.name, id: p.id }] : [],
  );
  const ours = new Set(attached.map((p) => p.name));
  const organizations = session.factory.organizations(session.operatorCredentials);
  const after = new Map<string, PolicyLevel[]>();
  const before = new Map<string, PolicyLevel[]>();
  for (const group of await simulationPaths(inventory, target, organizations)) {
    const without = group.levels.map((l) =>
      l.nodeId === target.id ? { ...l, policies: l.policies.filter((p) => !ours.has(p.name)) } : l,
    );
    for (const id of group.accountIds) {
      if (id === inventory.managementAccountId) continue;
      after.set(id, group.levels);
      before.set(id, without);
    }
  }
  if (input.window.end.getTime() <= input.window.start.getTime()) {
    return { denials: [], counted: 0, failures: [], eventsRead: 0 };
  }
  // Denials counted per call and per policy their message names: a call one policy denied once
  // and another policy denied later is two lines, each judged on its own message.
  const byPolicy = new Map<string, CallAggregator>();
  const parseOptions = { managementAccountId: inventory.managementAccountId };
  let eventsRead = 0;
  const read = await input.source.read(
    {
      organizationId: inventory.organizationId,
      accounts: [...after.keys()],
      regions: input.regions,
      window: input.window,
      errorsOnly: true,
    },
    (batch) => {
      for (const record of batch.records) {
        eventsRead += 1;
        const parsed = parseRecord(record, parseOptions);
        if (parsed.kind !== "call" || !parsed.call.denial) continue;
        const named = parsed.call.denial.policyArn ?? parsed.call.denial.policyType ?? "";
        const aggregator = byPolicy.get(named) ?? new CallAggregator();
        byPolicy.set(named, aggregator);
        aggregator.add(parsed);
      }
    },
    input.progress,
  );
  const org = {
    organizationId: inventory.organizationId,
    partition: inventory.partition,
    orgPathOf: (id: string) => orgPathOf(inventory, id),
  };
  const decide = (tuple: CallTuple) => () => {
    const b = before.get(tuple.account);
    const a = after.get(tuple.account);
    if (!a || !b) return undefined;
    const request = tupleRequest(tuple, org);
    return { before: evaluateScps(b, request), after: evaluateScps(a, request) };
  };
  const denials: DenialSeen[] = [...byPolicy.values()]
    .flatMap((aggregator) => aggregator.tuples())
    .map((t) => ({
      eventId: t.sampleEventIds[0] ?? "",
      principal: t.principalArn,
      action: t.action,
      account: t.account,
      region: t.region,
      eventTime: t.lastSeen,
      events: t.denied,
      ...judgeDenial(t.lastDenial, attached, (id) => inventory.scps.get(id)?.name, decide(t)),
    }))
    .sort((x, y) => Number(y.counted) - Number(x.counted) || y.events - x.events);
  return {
    denials,
    counted: denials.reduce((n, d) => n + (d.counted ? d.events : 0), 0),
    failures: read.failures,
    eventsRead,
  };
}
