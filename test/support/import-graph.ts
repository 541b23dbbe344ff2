import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** One import of a source file: the file it names (repository-relative) or the package it names. */
export interface ImportEdge {
  from: string;
  /** A file of the same package, repository-relative, or undefined for a package import. */
  file?: string;
  /** `@orgwarden/<name>` → `<name>`. */
  pkg?: string;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

/** The source files of the workspace's packages (tests excluded), repository-relative. */
export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name))
        out.push(relative(root, path));
    }
  };
  for (const pkg of readdirSync(join(root, "packages"))) {
    const src = join(root, "packages", pkg, "src");
    if (existsSync(src)) walk(src);
  }
  return out.sort();
}

/** Every import of every source file: relative imports resolved to files, workspace packages by name. */
export function importEdges(root: string, files: string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const text = readFileSync(join(root, from), "utf8");
    for (const m of text.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2]) as string;
      if (spec.startsWith(".")) {
        const target = relative(root, resolve(dirname(join(root, from)), spec)).replace(/\.js$/, ".ts");
        edges.push({ from, file: target });
      } else if (spec.startsWith("@orgwarden/")) {
        edges.push({ from, pkg: spec.slice("@orgwarden/".length).split("/")[0] as string });
      }
    }
  }
  return edges;
}

/** The package a repository-relative source file belongs to. */
export function packageOf(file: string): string {
  return file.split("/")[1] as string;
}

/** The import circles among files (each as its files, in order), found by depth-first search. */
export function fileCycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) if (e.file) next.set(e.from, [...(next.get(e.from) ?? []), e.file]);
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const to of next.get(node) ?? []) {
      if (state.get(to) === "open") cycles.push([...stack.slice(stack.indexOf(to)), to]);
      else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...next.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}
