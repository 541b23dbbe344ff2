import { PassThrough } from "node:stream";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import type { Io } from "./io.js";
import { buildProgram } from "./main.js";

function everyCommand(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(everyCommand)];
}

describe("--help", () => {
  const stdout = new PassThrough();
  const io: Io = {
    stdin: new PassThrough(),
    stdout,
    stderr: new PassThrough(),
    interactive: false,
    stdoutIsTty: false,
    env: {},
  };
  const program = buildProgram(io, () => async () => {});

  it("no option shows its default twice (a hand-written one and commander's), nor an empty list", () => {
    const doubled: string[] = [];
    for (const cmd of everyCommand(program)) {
      // One entry per option: its flags at two spaces, the wrapped description indented below.
      const entries = cmd.helpInformation().split(/\n(?= {2}-)/);
      for (const entry of entries) {
        if ((entry.match(/\bdefault\b/gi) ?? []).length > 1 || entry.includes("(default: [])"))
          doubled.push(`${cmd.name()}: ${entry.trim().split("\n")[0]}`);
      }
    }
    expect(doubled).toEqual([]);
  });

  it("a default commander knows is shown as typed", () => {
    const help = program.commands.find((c) => c.name() === "accounts")?.helpInformation() ?? "";
    expect(help.replace(/\s+/g, " ")).toContain("accounts worked on at once (a report lends");
    expect(help.replace(/\s+/g, " ")).toContain("at most twice as many in flight) (default: 16)");
    const deploy = program.commands.find((c) => c.name() === "deploy-rules")?.helpInformation() ?? "";
    expect(deploy.replace(/\s+/g, " ")).toContain("(default: accounts)");
    expect(deploy.replace(/\s+/g, " ")).toContain(
      "rule from the catalog (repeatable; default: iam-policy-in-use, root-account-mfa-enabled) --regions",
    );
  });

  // What a piped --help prints (80 columns: a test worker's stdout is a pipe, as the CLI's is when
  // piped); test/cli-conventions.test.ts runs the real CLI's --help for the program and apply-scp.
  it("every command's --help lists the global options and fits 80 columns (a word longer than a line aside)", () => {
    const commands = everyCommand(program);
    expect(commands.length).toBeGreaterThanOrEqual(40);
    expect(process.stdout.isTTY).toBeFalsy();
    for (const cmd of commands) {
      // The whole help a user sees: the options and the text added after them (examples, links).
      let help = "";
      const read = () => {
        for (let chunk = stdout.read(); chunk !== null; chunk = stdout.read()) help += String(chunk);
      };
      read();
      help = "";
      cmd.outputHelp();
      read();
      expect(help, cmd.name()).toContain("--profile <name>");
      expect(help, cmd.name()).toContain("--no-color");
      // A line that is one word longer than the column (a link, an example value) cannot wrap.
      expect(
        help.split("\n").filter((l) => l.length > 80 && !/^\s*(See )?\S+$/.test(l)),
        `${cmd.name()} --help`,
      ).toEqual([]);
    }
  });
});
