import { PassThrough } from "node:stream";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import type { Io } from "./io.js";
import { buildProgram } from "./main.js";

function everyCommand(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(everyCommand)];
}

describe("--help", () => {
  const io: Io = {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
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
    expect(help.replace(/\s+/g, " ")).toContain("accounts worked on at once (default: 16)");
    const deploy = program.commands.find((c) => c.name() === "deploy-rules")?.helpInformation() ?? "";
    expect(deploy.replace(/\s+/g, " ")).toContain("(default: accounts)");
    expect(deploy.replace(/\s+/g, " ")).toContain(
      "rule from the catalog (repeatable; default: iam-policy-in-use, root-account-mfa-enabled) --regions",
    );
  });

  // What a piped --help prints (80 columns: a test worker's stdout is a pipe, as the CLI's is when
  // piped); test/cli-conventions.test.ts runs the real CLI's --help for the program and apply-scp.
  it("each command's --help lists the global options and fits 80 columns", () => {
    const commands = [
      [],
      ["accounts"],
      ["apply-scp"],
      ["detach-scp"],
      ["deploy-rules"],
      ["report"],
      ["run"],
      ["root", "status"],
      ["root", "remove-credentials"],
      ["scp", "status"],
      ["scp", "simulate"],
      ["controls"],
      ["policies"],
    ];
    expect(process.stdout.isTTY).toBeFalsy();
    for (const path of commands) {
      const cmd = path.reduce<Command | undefined>(
        (c, name) => c?.commands.find((x) => x.name() === name),
        program,
      );
      const help = cmd?.helpInformation() ?? "";
      expect(help, path.join(" ")).toContain("--profile <name>");
      expect(help, path.join(" ")).toContain("--no-color");
      expect(
        help.split("\n").filter((l) => l.length > 80),
        `${path.join(" ")} --help`,
      ).toEqual([]);
    }
  });
});
