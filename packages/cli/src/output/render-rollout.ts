import type { ReadFailure } from "@orgwarden/activity";
import { type DenialSeen, describeStep, type RolloutEvent, type StageRef } from "@orgwarden/job";
import type { Paint } from "@orgwarden/report";
import { renderImpact } from "./render-impact.js";

/** Denials listed per look at a soak; the state file and --output json hold them all. */
const LISTED = 20;

/** One step of `orgwarden rollout` as the lines a person reads (stdout, or stderr with --output json). */
export function renderRolloutEvent(
  event: RolloutEvent,
  stateFile: string,
  paint: Paint,
  width?: number,
): string {
  const resume = `orgwarden rollout --resume ${stateFile}`;
  switch (event.kind) {
    case "nothing-to-do":
      return "rollout: every stage has passed: nothing to do.\n";
    case "impact-start":
      return `${at(event.stage)}: measuring the change's impact on recorded activity (since ${event.since})\n`;
    case "impact":
      return `${renderImpact(event.result, paint, width)}${at(event.stage)}: impact ${event.events} new denied event${plural(event.events)} (--max-new-denials ${event.limit})\n`;
    case "step":
      return `  [${event.done}/${event.total}] done: ${describeStep(event.step)}\n`;
    case "attached":
    case "already-attached":
      return [
        event.kind === "attached"
          ? `${at(event.stage)}: attached ${refs(event.attached)}; soaking until ${event.soakUntil}`
          : `${at(event.stage)}: ${refs(event.attached)} on the target already; soaked from now, until ${event.soakUntil}`,
        ...(event.kept.length > 0
          ? [`  kept attached until the soak passes, then detached: ${refs(event.kept)}`]
          : []),
        "",
      ].join("\n");
    case "soak":
      return renderSoak(event, paint);
    case "waiting":
      return `${at(event.stage)} soaking until ${event.soakUntil}: resume with ${resume}\n`;
    case "passed":
      return `${at(event.stage)}: ${paint("soak passed", "green")}${event.detached.length > 0 ? `; detached ${refs(event.detached)}` : ""}\n`;
    case "rolled-back":
      return (
        `${at(event.stage)} ${paint("ROLLED BACK", "red")}: ${event.counted} counted denied event${plural(event.counted)} (--max-new-denials ${event.limit}); detached ${refs(event.detached) || "nothing"}.\n` +
        `Fix or exempt the callers listed above, then ${resume} --retry-stage tries the stage again (its impact first).\n`
      );
    case "rolled-back-held":
      return (
        `${at(event.stage)} was ${paint("ROLLED BACK", "red")} (${event.counted} counted denied event${plural(event.counted)}, --max-new-denials ${event.limit}): it stays so; nothing was done.\n` +
        `Fix or exempt the callers its state lists, then ${resume} --retry-stage tries it again (its impact first).\n`
      );
    case "stopped-impact":
      return (
        `${at(event.stage)} ${paint("stopped", "red")}: the change would deny ${event.events} recorded event${plural(event.events)} (--max-new-denials ${event.limit}); ${
          event.detached.length > 0
            ? `rolled back what an earlier attempt attached: detached ${refs(event.detached)}`
            : "nothing was applied to it"
        }.\n` + `Fix or exempt the callers listed above, then ${resume} measures it again.\n`
      );
    case "incomplete":
      return (
        `${failures(event.failures)}${at(event.stage)}: ${event.failures.length} part${plural(event.failures.length)} of the recorded activity could not be read; ` +
        `${event.phase === "impact" ? "nothing was applied to it" : "its soak is not passed"} on a partial answer. Fix the access, then ${resume}.\n`
      );
    case "finished":
      return `rollout finished: ${event.stages} stage${plural(event.stages)} passed\n`;
  }
}

function renderSoak(event: Extract<RolloutEvent, { kind: "soak" }>, paint: Paint): string {
  const shown = event.denials.filter((d) => !d.counted).reduce((n, d) => n + d.events, 0);
  const head = `${at(event.stage)}: soak until ${event.soakUntil}: ${event.counted} counted denied event${plural(event.counted)} (--max-new-denials ${event.limit})${shown > 0 ? `, ${shown} by others' policies shown, not counted` : ""}`;
  const lines = [head, ...event.denials.slice(0, LISTED).map((d) => denialLine(d, paint))];
  if (event.denials.length > LISTED)
    lines.push(`  … and ${event.denials.length - LISTED} more (the state file lists them all)`);
  return `${lines.join("\n")}\n${failures(event.failures)}`;
}

function denialLine(d: DenialSeen, paint: Paint): string {
  const mark = d.counted ? paint("COUNTED", "red") : "not counted";
  return `  ${mark} ${d.events}× ${d.action} by ${d.principal} in ${d.account} ${d.region} (last ${d.eventTime}, event ${d.eventId}): ${d.why}`;
}

function failures(list: readonly ReadFailure[]): string {
  return list.map((f) => `  not read: ${f.location}: ${f.reason}\n`).join("");
}

function at(stage: StageRef): string {
  return `stage ${stage.number}/${stage.of} ${stage.path}`;
}

function refs(list: ReadonlyArray<{ name: string; id: string }>): string {
  return list.map((p) => `${p.name} (${p.id})`).join(", ");
}

function plural(n: number): string {
  return n === 1 ? "" : "s";
}
