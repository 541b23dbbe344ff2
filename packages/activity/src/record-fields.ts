/**
 * Reading a CloudTrail record's fields without a schema: a read parses a million records, so each
 * field is checked where it is used (typeof), not validated up front.
 */
export type Fields = Record<string, unknown>;

export function fieldsOf(value: unknown): Fields | undefined {
  return typeof value === "object" && value !== null ? (value as Fields) : undefined;
}

/** A non-empty string, or undefined. */
export function textOf(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
