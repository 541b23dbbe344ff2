/**
 * The order the end-to-end files start in: the slowest first, so that the last files to start are
 * short ones and no worker runs a long file alone at the end. Vitest's own order does this only with
 * the durations of an earlier run (node_modules/.vite); on a clean clone, as in CI, it starts the
 * largest files first, and several of the slowest files are small (the npm package's demo, the
 * evaluator differential, the scale stand-in): they started last and ran on alone.
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The slowest end-to-end files, slowest first: every file that took more than about 13 s in a whole
 * run of the lane on the 2-core machine (the first about 90 s). Every other file follows in Vitest's
 * own order. A file named here that no longer exists stops the run, so the list cannot silently go
 * stale on a rename.
 */
export const SLOWEST_FILES = [
  "test/lockout-guard.test.ts",
  "test/apply-scp.test.ts",
  "test/cli-conventions.test.ts",
  "test/apply-rcp.test.ts",
  "test/package.test.ts",
  "test/run.test.ts",
  "test/root-access.test.ts",
  "test/report-semantics.test.ts",
  "test/scale-standin.test.ts",
  "test/rollout.test.ts",
  "test/faults.test.ts",
  "test/evaluator-differential.test.ts",
  "test/verify-with-aws.test.ts",
  "test/apply-declarative.test.ts",
  "test/scp-simulate.test.ts",
  "test/impact.test.ts",
  "test/scp-variants.test.ts",
  "test/accounts.test.ts",
  "test/policies.test.ts",
  "test/report-guardrails.test.ts",
  "test/deploy-rules.test.ts",
  "test/report.test.ts",
  "test/service-managed-scps.test.ts",
  "test/scheduled-shards.test.ts",
  "test/verify-with-aws-library.test.ts",
  "test/claim-probes.test.ts",
  "test/partition.test.ts",
] as const;

export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const missing = SLOWEST_FILES.filter((f) => !existsSync(join(root, f)));
    if (missing.length > 0)
      throw new Error(
        `test/support/slowest-first-sequencer.ts names files that do not exist: ${missing.join(", ")}`,
      );
    const rank = (spec: TestSpecification) => {
      const i = (SLOWEST_FILES as readonly string[]).indexOf(relative(root, spec.moduleId));
      return i < 0 ? SLOWEST_FILES.length : i;
    };
    // Array.prototype.sort is stable: the files not named keep Vitest's order, after the named ones.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
