import type { Inventory } from "@orgwarden/core";
import type { RolloutStage } from "./rollout-state.js";

/**
 * The policies in `stage.attached` that are on the target, with their ids; the others dropped.
 * The stage records what it attaches before the writes, so after a write that failed half way (A
 * attached, B not) or a killed run, this is what the stage really left on its target: never forgotten,
 * so a stop or a roll back detaches it.
 */
export function reconcileAttached(inventory: Inventory, stage: RolloutStage): void {
  const onTarget = new Set(inventory.scpAttachments.get(stage.id) ?? []);
  stage.attached = stage.attached.flatMap((a) => {
    const id =
      a.id && onTarget.has(a.id)
        ? a.id
        : [...inventory.scps.values()].find((p) => p.name === a.name && onTarget.has(p.id))?.id;
    return id ? [{ ...a, id }] : [];
  });
}
