import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { SlowestFirstSequencer } from "./test/support/slowest-first-sequencer.js";

/**
 * Two lanes. `unit`: the packages' own tests, no emulator (`pnpm test:unit`, the inner loop).
 * `e2e`: the files under test/, which run the real CLI against moto; one moto server per worker is
 * started once for the run (test/support/moto-pool.ts) and each file seeds its own organization on
 * it (test/support/emulator-org.ts). Much of an end-to-end test is waiting on moto or on a CLI child
 * process, so the lane runs one more file at a time than there are cores.
 */
const e2eWorkers = Number(process.env.ORGWARDEN_TEST_WORKERS) || availableParallelism() + 1;

export default defineConfig({
  test: {
    globals: false,
    pool: "forks",
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    maxWorkers: e2eWorkers,
    // The slowest end-to-end files start first, on a clean clone too (test/support/slowest-first-sequencer.ts).
    sequence: { sequencer: SlowestFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts"],
          // One process runs file after file with the modules it has loaded (a third of the lane's
          // CPU was importing them again); the setup restores the SDK clients a file mocked.
          isolate: false,
          setupFiles: ["test/support/unit-setup.ts"],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/**/*.test.ts"],
          // A worker runs one end-to-end file after another with the modules it has loaded (the AWS
          // SDK, the packages, the emulator): each file would otherwise spend about a second of CPU
          // importing them again. These files mock no module and change no process state; the unit
          // lane, whose tests replace SDK clients' send (aws-sdk-client-mock), keeps one process per file.
          isolate: false,
          globalSetup: ["test/support/e2e-setup.ts"],
          // The packages' built output (what `@orgwarden/*` resolves to) is loaded by Node itself, as the
          // AWS SDK is: Vitest would otherwise transform each of its modules in its main process, the
          // one that also runs the emulators' stand-ins, and send it to every worker.
          server: { deps: { external: [/\/packages\/[^/]+\/dist\//] } },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
