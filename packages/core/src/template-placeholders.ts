/**
 * orgwarden's own `${Name}` placeholders, in the SCP library (`scp/*.json`) and the Config rule
 * catalogue (`config-rules/*.json`): a letter, then letters and digits. AWS policy variables
 * (`${aws:username}`, `${aws:PrincipalTag/…}`) have a colon, so they never match and are left for
 * AWS to fill in.
 */
export const TEMPLATE_PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/;

// Global and anchored copies for matchAll/replace and for a whole string; the exported pattern has
// no `g`, so a caller's test() or exec() carries no lastIndex from one string to the next.
const EVERY_PLACEHOLDER = new RegExp(TEMPLATE_PLACEHOLDER.source, "g");
const WHOLE_PLACEHOLDER = new RegExp(`^${TEMPLATE_PLACEHOLDER.source}$`);

/** The placeholder names of a string, in order of appearance (repeats kept). */
export function placeholderNames(text: string): string[] {
  return [...text.matchAll(EVERY_PLACEHOLDER)].map((m) => m[1] as string);
}

/** The placeholder's name when the whole string is one placeholder (`"${ExemptPrincipalArns}"`), else undefined. */
export function wholePlaceholder(text: string): string | undefined {
  return WHOLE_PLACEHOLDER.exec(text)?.[1];
}

/**
 * Replaces every placeholder of `text` with what `value` returns for its name; `value` throws for a
 * name it does not know.
 */
export function replacePlaceholders(text: string, value: (name: string) => string): string {
  return text.replace(EVERY_PLACEHOLDER, (_m, name: string) => value(name));
}
