/** A condition key's value in a request: one value, or several for a multivalued key (`aws:TagKeys`). */
export type KeyValue = string | readonly string[];

/** The condition keys of one request, by lower-cased name: IAM key names are case-insensitive. */
export type RequestKeys = ReadonlyMap<string, KeyValue>;

export function toRequestKeys(keys: Readonly<Record<string, KeyValue>>): RequestKeys {
  return new Map(Object.entries(keys).map(([k, v]) => [k.toLowerCase(), v]));
}

export function lookupKey(keys: RequestKeys, name: string): KeyValue | undefined {
  return keys.get(name.toLowerCase());
}
