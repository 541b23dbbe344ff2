import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OrgwardenError } from "@orgwarden/core";
import { afterEach, describe, expect, it } from "vitest";
import { MOTO_INSTALL_HINT, startMoto } from "./moto-server.js";

// startMoto finds a missing moto from its start, without a `moto_server --help` first.
describe("startMoto without moto", () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  const notFound = {
    code: "EMULATOR",
    message: "moto_server (the local AWS emulator) was not found",
    hint: MOTO_INSTALL_HINT,
  };

  it("no moto_server on PATH: the EMULATOR error with the install hint", async () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), "orgwarden-nomoto-"));
    const err = await startMoto().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrgwardenError);
    expect(err).toMatchObject(notFound);
  });

  it("a shim that has no moto_server (exit 127, as pyenv's): the same error, from its one start", async () => {
    const bin = mkdtempSync(join(tmpdir(), "orgwarden-shim-"));
    const runs = join(bin, "runs");
    writeFileSync(
      join(bin, "moto_server"),
      `#!/bin/sh\necho "$*" >> '${runs}'\necho "pyenv: moto_server: command not found" >&2\nexit 127\n`,
    );
    chmodSync(join(bin, "moto_server"), 0o755);
    process.env.PATH = bin;
    const err = await startMoto().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrgwardenError);
    expect(err).toMatchObject(notFound);
    // Run once, to start the server: not first with --help to ask whether it is there, nor again.
    expect(readFileSync(runs, "utf8")).toMatch(/^-H 127\.0\.0\.1 -p \d+\n$/);
  });
});
