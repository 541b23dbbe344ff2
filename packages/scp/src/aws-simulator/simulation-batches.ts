import type { PolicyLevel, ProbeRequest } from "../evaluate-scps.js";
import { contextEntries, type SimulationCall } from "./simulation-call.js";

/** One request the guard decides, on one account's path. */
export interface AskedRequest {
  levels: readonly PolicyLevel[];
  request: ProbeRequest;
}

/** A call and the requests it answers, each by its action and resource. */
export interface Batch {
  call: SimulationCall;
  /** Keys (requestKey) of the requests this call decides, by `action resource`. */
  answers: Map<string, string[]>;
}

/**
 * The fewest calls that decide every request exactly once: requests on the same SCP path with the
 * same context share a call. AWS decides every action of a call on every resource of it, so the
 * actions of one call are those asked on the same set of resources: no call holds a pair nobody
 * asked (a pair of an action with another action's resource type could be refused).
 */
export function batchRequests(asked: readonly AskedRequest[], keyOf: RequestKeyer): Batch[] {
  const byContext = new Map<
    string,
    { levels: string[][]; context: SimulationCall["context"]; actions: Map<string, Map<string, string[]>> }
  >();
  for (const { levels, request } of asked) {
    const context = contextEntries(request.keys);
    const key = `${keyOf.path(levels)}\n${JSON.stringify(context)}`;
    let group = byContext.get(key);
    if (!group) {
      group = { levels: levelDocuments(levels), context, actions: new Map() };
      byContext.set(key, group);
    }
    const resources = group.actions.get(request.action) ?? new Map<string, string[]>();
    const same = resources.get(request.resource) ?? [];
    same.push(keyOf.request(levels, request));
    resources.set(request.resource, same);
    group.actions.set(request.action, resources);
  }
  const batches: Batch[] = [];
  for (const group of byContext.values()) {
    const bySet = new Map<string, { actions: string[]; resources: string[] }>();
    for (const [action, resources] of group.actions) {
      const set = [...resources.keys()].sort();
      const k = set.join("\n");
      const entry = bySet.get(k) ?? { actions: [], resources: set };
      entry.actions.push(action);
      bySet.set(k, entry);
    }
    for (const { actions, resources } of bySet.values()) {
      const answers = new Map<string, string[]>();
      for (const action of actions) {
        for (const [resource, keys] of group.actions.get(action) ?? []) {
          const pair = pairKey(action, resource);
          answers.set(pair, [...(answers.get(pair) ?? []), ...keys]);
        }
      }
      batches.push({
        call: { levels: group.levels, actions: actions.sort(), resources, context: group.context },
        answers,
      });
    }
  }
  return batches;
}

/** An action and a resource of a call; action names are not case-sensitive, as in IAM policies. */
export function pairKey(action: string, resource: string): string {
  return `${action.toLowerCase()} ${resource}`;
}

/** Keys of paths and requests: the same SCP documents and request always give the same key. */
export interface RequestKeyer {
  path(levels: readonly PolicyLevel[]): string;
  request(levels: readonly PolicyLevel[], request: ProbeRequest): string;
}

/** A keyer that serializes each path object once (the guard asks many requests on one path). */
export function requestKeyer(): RequestKeyer {
  const paths = new WeakMap<readonly PolicyLevel[], string>();
  const path = (levels: readonly PolicyLevel[]): string => {
    let key = paths.get(levels);
    if (key === undefined) {
      key = JSON.stringify(levelDocuments(levels));
      paths.set(levels, key);
    }
    return key;
  };
  return {
    path,
    request: (levels, request) =>
      `${path(levels)}\n${request.action}\n${request.resource}\n${JSON.stringify(contextEntries(request.keys))}`,
  };
}

function levelDocuments(levels: readonly PolicyLevel[]): string[][] {
  return levels.map((l) => l.policies.map((p) => JSON.stringify(p.document)));
}
