import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { Interrupted } from "./interrupt.js";
import type { Io } from "./io.js";
import { confirm, promptLine } from "./prompt.js";

function io(): { io: Io; stdin: PassThrough } {
  const stdin = new PassThrough();
  const sink = new PassThrough();
  sink.resume();
  return { io: { stdin, stdout: sink, stderr: sink, interactive: true, stdoutIsTty: true, env: {} }, stdin };
}

describe("promptLine", () => {
  it("Ctrl-C rejects with Interrupted (exit 130 upstream), not an error", async () => {
    const { io: term, stdin } = io();
    const answer = promptLine(term, "MFA code: ");
    stdin.write("12\u0003");
    await expect(answer).rejects.toBeInstanceOf(Interrupted);
    await expect(answer).rejects.toMatchObject({ signal: "SIGINT" });
  });

  it("end of input (Ctrl-D) is no answer: confirm says no", async () => {
    const { io: term, stdin } = io();
    const answer = confirm(term, "Proceed?");
    stdin.end();
    await expect(answer).resolves.toBe(false);
  });

  it("an answer piped in just before the end still counts", async () => {
    const { io: term, stdin } = io();
    const answer = confirm(term, "Proceed?");
    stdin.end("yes\n");
    await expect(answer).resolves.toBe(true);
  });
});
