import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { CommandContext } from "./command.js";
import { confirmChange } from "./confirm-change.js";
import type { Io } from "./io.js";

function context(interactive: boolean, answer: string): { ctx: CommandContext; out: () => string } {
  let text = "";
  const sink = new Writable({
    write(chunk, _e, cb) {
      text += chunk.toString();
      cb();
    },
  });
  const stdin = new PassThrough();
  stdin.end(answer);
  const io: Io = { stdout: sink, stderr: sink, stdin, interactive, stdoutIsTty: false, env: {} };
  return { ctx: { io } as CommandContext, out: () => text };
}

describe("confirmChange", () => {
  it("on a terminal, applies after 'y' and shows the question", async () => {
    const { ctx, out } = context(true, "y\n");
    await expect(
      confirmChange(ctx, { changes: 3, summary: "apply 3 changes to OU Root/Prod" }),
    ).resolves.toBe(true);
    expect(out()).toContain("Proceed to apply 3 changes to OU Root/Prod? [y/N]");
  });

  it("on a terminal, anything but yes cancels with nothing changed (exit 2)", async () => {
    const { ctx } = context(true, "\n");
    await expect(confirmChange(ctx, { changes: 1, summary: "x" })).rejects.toMatchObject({ code: "REFUSED" });
  });

  it("off a terminal, a change needs --yes; --dry-run and no changes never apply", async () => {
    const { ctx, out } = context(false, "");
    await expect(confirmChange(ctx, { changes: 1, summary: "x" })).rejects.toMatchObject({
      code: "REFUSED",
      hint: expect.stringContaining("--yes"),
    });
    await expect(confirmChange(ctx, { changes: 1, yes: true, summary: "x" })).resolves.toBe(true);
    await expect(confirmChange(ctx, { changes: 1, yes: true, dryRun: true, summary: "x" })).resolves.toBe(
      false,
    );
    await expect(confirmChange(ctx, { changes: 0, summary: "x" })).resolves.toBe(false);
    expect(out()).toContain("Dry run: nothing was changed.");
    expect(out()).toContain("Nothing to do.");
  });
});
