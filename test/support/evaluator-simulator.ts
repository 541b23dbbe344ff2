import type { KeyValue, PolicySimulator, SimulationAnswer, SimulationCall } from "@orgwarden/scp";
import { evaluateScps, type PolicyLevel, type ProbeRequest } from "@orgwarden/scp";

/**
 * A PolicySimulator that answers with orgwarden's own evaluator: for tests and the bench, where AWS
 * cannot be reached (it proves the plumbing, never the verdicts). `answer` may change a decision.
 */
export function evaluatorSimulator(
  options: {
    answer?: (
      pair: { action: string; resource: string; call: SimulationCall },
      ours: SimulationAnswer,
    ) => SimulationAnswer;
    onCall?: (call: SimulationCall) => Promise<void> | void;
  } = {},
): PolicySimulator {
  return async (call) => {
    await options.onCall?.(call);
    const levels: PolicyLevel[] = call.levels.map((documents, i) => ({
      nodeId: `level-${i}`,
      nodePath: `level-${i}`,
      policies: documents.map((d, j) => ({ name: `scp-${i}-${j}`, document: JSON.parse(d), managed: false })),
    }));
    const keys: Record<string, KeyValue> = Object.fromEntries(
      call.context.map((c) => [c.name, c.type.endsWith("List") ? c.values : (c.values[0] ?? "")]),
    );
    const answers = call.actions.flatMap((action) =>
      call.resources.map((resource) => {
        const request: ProbeRequest = { action, resource, keys };
        const d = evaluateScps(levels, request);
        const ours: SimulationAnswer = {
          action,
          resource,
          decision: d.effect === "ALLOW" ? "allowed" : d.by === "no-allow" ? "implicitDeny" : "explicitDeny",
          allowedByOrganizations: d.effect === "ALLOW",
        };
        return options.answer ? options.answer({ action, resource, call }, ours) : ours;
      }),
    );
    return { answers, pages: 1 };
  };
}
