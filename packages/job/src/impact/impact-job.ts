import type { PolicyTemplate } from "@orgwarden/scp";
import { draftScp } from "../scp/plan-scp.js";
import type { JobSession } from "../session/session.js";
import type { ImpactSettings } from "../settings/impact-settings.js";
import { impactRegions } from "./impact-regions.js";
import { type ImpactResult, measureImpact } from "./measure-impact.js";
import { openActivitySource } from "./open-source.js";

/**
 * `orgwarden impact` and apply-scp --impact: the policies rendered (bad input stops before any AWS
 * call), the regions and the source resolved, then the activity read and judged.
 */
export async function impactJob(
  session: JobSession,
  settings: ImpactSettings,
  library: Map<string, PolicyTemplate>,
  progress?: (message: string) => void,
): Promise<ImpactResult> {
  const draft = draftScp(library, settings.scp);
  const source = openActivitySource(session, settings.source, await session.roleAssumer());
  const regions = await impactRegions(session, settings.regions);
  return measureImpact(session, {
    draft,
    target: settings.target,
    window: settings.window,
    since: settings.since,
    regions,
    source,
    awsCheck: settings.awsCheck,
    ...(progress ? { progress } : {}),
  });
}
