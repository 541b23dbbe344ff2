import type { ReadWindow } from "./event-source.js";

/**
 * Which records of a batch are handed over, for a source that cannot ask AWS to filter: those of
 * the window (a trail's file can hold events from before it), and only those that recorded an
 * error when the scope says so (a soak reads denials only). Nothing else of a record is read.
 */
export function recordFilter(options: {
  window?: ReadWindow;
  errorsOnly?: boolean;
}): ((record: unknown) => boolean) | undefined {
  const { window, errorsOnly } = options;
  if (!window && !errorsOnly) return undefined;
  // eventTime as CloudTrail writes it (2026-03-01T12:00:00Z, whole seconds): strings compare as
  // times, cheaper than a Date per record across millions of them.
  const seconds = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;
  const from = window ? seconds(window.start) : undefined;
  const to = window ? seconds(window.end) : undefined;
  return (record) => {
    if (typeof record !== "object" || record === null) return true;
    const r = record as { eventTime?: unknown; errorCode?: unknown };
    if (errorsOnly && !r.errorCode) return false;
    if (from === undefined || to === undefined || typeof r.eventTime !== "string") return true;
    return r.eventTime >= from && r.eventTime <= to;
  };
}
