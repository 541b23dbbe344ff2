import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileCycles, importEdges, packageOf, sourceFiles } from "./support/import-graph.js";
import { REPO_ROOT } from "./support/run-cli.js";

/**
 * Keeps docs/architecture.md true of the code: the packages and what each may import, the layers
 * inside job, no import circle, every path it names, and its "how to add" lists.
 */
const doc = readFileSync(join(REPO_ROOT, "docs/architecture.md"), "utf8");
const files = sourceFiles(REPO_ROOT);
const edges = importEdges(REPO_ROOT, files);

/** The table `| \`@orgwarden/x\` | what | depends on |`: package → the packages it may import. */
function documentedDependencies(): Map<string, Set<string>> {
  const allowed = new Map<string, Set<string>>();
  for (const m of doc.matchAll(/^\| `@orgwarden\/([a-z]+)` \|[^|]*\| ([^|]*) \|$/gm)) {
    const deps = (m[2] as string).trim();
    const names = deps === "—" ? [] : deps.split(/,\s*/).map((d) => d.replace(/\s.*$/, ""));
    allowed.set(m[1] as string, new Set(names));
  }
  return allowed;
}

describe("docs/architecture.md", () => {
  it("lists every package, and every package imports only what its row says", () => {
    const allowed = documentedDependencies();
    const packages = readdirSync(join(REPO_ROOT, "packages")).sort();
    expect([...allowed.keys()].sort()).toEqual(packages);
    const wrong = new Set<string>();
    for (const e of edges) {
      const from = packageOf(e.from);
      if (e.pkg && e.pkg !== from && !allowed.get(from)?.has(e.pkg))
        wrong.add(`${e.from} imports @orgwarden/${e.pkg}`);
    }
    expect([...wrong]).toEqual([]);
  });

  it("no source file imports a file that imports it back", () => {
    expect(fileCycles(edges).map((c) => c.join(" → "))).toEqual([]);
  });

  it("inside job, a folder imports only folders below it in the documented order", () => {
    const line = /Inside `job`, folders import only the folders after them: (.+)\./.exec(doc)?.[1];
    expect(line, "the doc names job's folder order").toBeDefined();
    const order = [...(line as string).matchAll(/`([a-z-]+)`/g)].map((m) => m[1] as string);
    const jobFolders = readdirSync(join(REPO_ROOT, "packages/job/src"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect([...order].sort()).toEqual(jobFolders);
    const folderOf = (f: string) => f.split("/")[3] as string;
    const up: string[] = [];
    for (const e of edges) {
      if (!e.file || packageOf(e.from) !== "job") continue;
      const from = order.indexOf(folderOf(e.from));
      const to = order.indexOf(folderOf(e.file));
      // Files at job/src/ itself: index.ts sits above every folder, the others below every folder.
      const fromRank = from >= 0 ? from : e.from.endsWith("/index.ts") ? -1 : order.length;
      const toRank = to >= 0 ? to : e.file.endsWith("/index.ts") ? -1 : order.length;
      if (toRank < fromRank) up.push(`${e.from} → ${e.file}`);
    }
    expect(up).toEqual([]);
  });

  it("names only files and folders that exist", () => {
    const named = [
      ...doc.matchAll(/`((?:packages|scp|config-rules|test|docs|deploy|scripts|bench)\/[^`\s<>*]*)`/g),
    ]
      .map((m) => m[1] as string)
      .filter((p) => !p.includes("<"));
    const missing = [...new Set(named)].filter((p) => !existsSync(join(REPO_ROOT, p)));
    expect(missing).toEqual([]);
  });

  it("the CLI holds no AWS logic: no AWS SDK import under packages/cli/src", () => {
    expect(doc).toMatch(/no AWS logic of its own/);
    const sdk = files.filter(
      (f) =>
        f.startsWith("packages/cli/") && /from "@aws-sdk\//.test(readFileSync(join(REPO_ROOT, f), "utf8")),
    );
    expect(sdk).toEqual([]);
  });

  it("how to add a command: every file in cli/src/commands is reached from main.ts, and only main.ts imports them", () => {
    const commands = "packages/cli/src/commands/";
    const next = new Map<string, string[]>();
    for (const e of edges) if (e.file) next.set(e.from, [...(next.get(e.from) ?? []), e.file]);
    const reached = new Set<string>();
    const visit = (f: string) => {
      for (const to of next.get(f) ?? [])
        if (to.startsWith(commands) && !reached.has(to)) {
          reached.add(to);
          visit(to);
        }
    };
    visit("packages/cli/src/main.ts");
    const all = files.filter((f) => f.startsWith(commands));
    expect(all.filter((f) => !reached.has(f))).toEqual([]);
    const importers = edges
      .filter((e) => e.file?.startsWith(commands) && !e.from.startsWith(commands))
      .map((e) => e.from);
    expect([...new Set(importers)]).toEqual(["packages/cli/src/main.ts"]);
  });
});
