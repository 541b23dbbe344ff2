import type { ControlId } from "@orgwarden/core";
import type { ControlOutcome } from "../report-model.js";
import type { CheckContext, RootAccessCheckContext } from "./account-check.js";
import { checkCloudTrailEnabled } from "./cloudtrail-enabled.js";
import { checkConfigRecorder } from "./config-recorder.js";
import { checkGuardDuty } from "./guardduty-enabled.js";
import { checkConsoleUsersMfa } from "./iam-user-mfa.js";
import { listMfaExemptUsers } from "./mfa-exempt-user.js";
import { checkMfaPolicyInUse } from "./mfa-policy-in-use.js";
import { checkPasswordPolicy } from "./password-policy.js";
import { checkCentralizedRootAccess } from "./root-credentials-centralized.js";
import { checkRootCredentialsPresent } from "./root-credentials-present.js";
import { checkRootUser } from "./root-user.js";

interface CheckEntry {
  /** The controls the check judges; when it fails, each of them is one ERROR outcome with the reason. */
  controls: readonly ControlId[];
  /**
   * "per-control": one outcome for each control in every account read, so an account that is not
   * read (suspended, unreachable) gets one SKIPPED or ERROR row for each. "per-resource": zero or
   * more outcomes (one per exempt user), so an account that is not read gets none.
   */
  rows: "per-control" | "per-resource";
}

/** One direct check of the check source. */
export type AccountCheck = CheckEntry &
  (
    | { needs?: undefined; run: (ctx: CheckContext) => Promise<ControlOutcome[]> }
    | {
        /** Only when the report reads centralized root access (settings.rootAccess). */
        needs: "root-access";
        run: (ctx: RootAccessCheckContext) => Promise<ControlOutcome[]>;
      }
  );

/**
 * Every direct check, in the order checkAccount starts them, with the controls it produces: adding
 * a check here adds its controls to CHECK_CONTROLS (or ROOT_ACCESS_CONTROLS) and to the report.
 */
export const ACCOUNT_CHECKS: readonly AccountCheck[] = [
  {
    controls: ["root-mfa", "root-hardware-mfa", "root-access-keys"],
    rows: "per-control",
    run: checkRootUser,
  },
  {
    controls: ["root-credentials-centralized"],
    rows: "per-control",
    needs: "root-access",
    run: checkCentralizedRootAccess,
  },
  {
    controls: ["root-credentials-present"],
    rows: "per-control",
    needs: "root-access",
    run: checkRootCredentialsPresent,
  },
  { controls: ["password-policy"], rows: "per-control", run: checkPasswordPolicy },
  { controls: ["iam-user-mfa"], rows: "per-control", run: checkConsoleUsersMfa },
  { controls: ["mfa-policy-in-use"], rows: "per-control", run: checkMfaPolicyInUse },
  { controls: ["mfa-exempt-user"], rows: "per-resource", run: listMfaExemptUsers },
  { controls: ["cloudtrail-enabled"], rows: "per-control", run: checkCloudTrailEnabled },
  { controls: ["guardduty-enabled"], rows: "per-control", run: checkGuardDuty },
  { controls: ["config-recorder"], rows: "per-control", run: checkConfigRecorder },
];

function perControl(needs: AccountCheck["needs"]): readonly ControlId[] {
  return ACCOUNT_CHECKS.filter((c) => c.rows === "per-control" && c.needs === needs).flatMap(
    (c) => c.controls,
  );
}

/** The check-source controls every account has one row for. */
export const CHECK_CONTROLS: readonly ControlId[] = perControl(undefined);

/** The check-source controls of centralized root access (when the report reads it). */
export const ROOT_ACCESS_CONTROLS: readonly ControlId[] = perControl("root-access");

/** The check-source controls of a report, with those of centralized root access when it reads it. */
export function checkControlsFor(rootAccess: boolean): readonly ControlId[] {
  return rootAccess ? [...CHECK_CONTROLS, ...ROOT_ACCESS_CONTROLS] : CHECK_CONTROLS;
}
