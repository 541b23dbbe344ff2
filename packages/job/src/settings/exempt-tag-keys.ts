import { OrgwardenError } from "@orgwarden/core";
import { DEFAULT_RESOURCE_EXEMPT_TAG_KEYS, TAG_EXEMPT_RCPS, type TagExemptRcp } from "@orgwarden/scp";
import type { RunConfig } from "../config/run-config.js";

type ExemptTagKeys = Partial<Record<TagExemptRcp, string>>;

/**
 * The resource tag key that takes a resource out of each tag-exempt RCP: --exempt-tag-key over
 * resourceExemptTagKeys over the defaults. The RCP family and the SCP family both read it here, so the
 * tag an RCP honours is the tag protect-exemption-tags keeps to the exempt principals. A flag that
 * disagrees with the config file it runs with is refused: `run` with that file would render the
 * file's key on both sides, and what this command writes would protect another tag than the policies
 * run keeps in place.
 */
export function resourceExemptTagKeys(
  flag: readonly string[] | undefined,
  config?: Pick<RunConfig, "resourceExemptTagKeys">,
): ExemptTagKeys {
  const fromFile: ExemptTagKeys = config?.resourceExemptTagKeys ?? {};
  if (!flag?.length) return fromFile;
  const fromFlag = parseExemptTagKeys(flag);
  if (!config) return fromFlag;
  const differ = TAG_EXEMPT_RCPS.filter((p) => keyOf(fromFlag, p) !== keyOf(fromFile, p));
  if (differ.length > 0) {
    throw new OrgwardenError(
      "INVALID_INPUT",
      `--exempt-tag-key disagrees with resourceExemptTagKeys of the config file: ${differ.map((p) => `${p} ${keyOf(fromFlag, p)} (flag) against ${keyOf(fromFile, p)} (file)`).join("; ")}. The RCPs and protect-exemption-tags would then protect different tags than run keeps in place`,
      {
        hint: "Set the keys in resourceExemptTagKeys of the config file (apply-rcp, apply-scp and run all read it), or leave out --exempt-tag-key. Nothing was changed.",
        details: { flag: fromFlag, file: fromFile },
      },
    );
  }
  return fromFlag;
}

function keyOf(keys: ExemptTagKeys, policy: TagExemptRcp): string {
  return keys[policy] ?? DEFAULT_RESOURCE_EXEMPT_TAG_KEYS[policy];
}

/** --exempt-tag-key identity-perimeter=dp:exclude:identity, repeatable. */
function parseExemptTagKeys(raw: readonly string[]): ExemptTagKeys {
  const keys: ExemptTagKeys = {};
  for (const entry of raw) {
    const at = entry.indexOf("=");
    const policy = entry.slice(0, at) as TagExemptRcp;
    if (at < 1 || !TAG_EXEMPT_RCPS.includes(policy)) {
      throw new OrgwardenError("INVALID_INPUT", `--exempt-tag-key: "${entry}" is not POLICY=TAG_KEY`, {
        hint: `POLICY is one of ${TAG_EXEMPT_RCPS.join(", ")}, e.g. --exempt-tag-key identity-perimeter=dp:exclude:identity.`,
      });
    }
    keys[policy] = entry.slice(at + 1);
  }
  return keys;
}
