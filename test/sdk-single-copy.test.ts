import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/run-cli.js";

/**
 * The AWS SDK's logger middleware (in @aws-sdk/core) logs nothing when a client's logger is
 * `instanceof` the NoOpLogger of the @smithy/core it loads itself. With two copies of @smithy/core
 * installed (3.41.0 beside 3.41.1, until the lockfile was deduplicated), a client's default logger
 * came from the other copy: every request's input and output were copied through their schemas'
 * sensitive-data filter and handed to a logger that drops them — about 6 % of a report's CPU.
 */
describe("one copy of the AWS SDK's core", () => {
  const packagesDir = join(REPO_ROOT, "packages");
  const clients = readdirSync(packagesDir).flatMap((pkg) => {
    const manifest = JSON.parse(readFileSync(join(packagesDir, pkg, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    return Object.keys(manifest.dependencies ?? {})
      .filter((name) => name.startsWith("@aws-sdk/client-"))
      .map((name) => ({ pkg, name }));
  });

  it("lets every SDK client orgwarden uses log nothing unasked: its logger is the NoOpLogger the SDK checks for", () => {
    expect(clients.length).toBeGreaterThan(10);
    const wrong: string[] = [];
    for (const { pkg, name } of clients) {
      const fromPackage = createRequire(join(packagesDir, pkg, "package.json"));
      const clientEntry = fromPackage.resolve(name);
      const sdk = createRequire(clientEntry)(name) as Record<string, unknown>;
      const Client = Object.entries(sdk).find(
        ([key, value]) => key.endsWith("Client") && key !== "__Client" && typeof value === "function",
      )?.[1] as (new (config: object) => { config: { logger: unknown }; destroy(): void }) | undefined;
      if (!Client) throw new Error(`${name} exports no client class`);
      const client = new Client({ region: "us-east-1" });
      // The NoOpLogger the logger middleware compares with: @aws-sdk/core's own @smithy/core.
      const awsCore = createRequire(clientEntry).resolve("@aws-sdk/core");
      const { NoOpLogger } = createRequire(awsCore)("@smithy/core/client") as {
        NoOpLogger: new () => unknown;
      };
      if (!(client.config.logger instanceof NoOpLogger)) wrong.push(`${name} (in packages/${pkg})`);
      client.destroy();
    }
    expect(
      wrong,
      "run `pnpm dedupe`: these clients load another @smithy/core than @aws-sdk/core does",
    ).toEqual([]);
  });
});
