/**
 * `pnpm pack:cli`: the orgwarden npm package, `orgwarden-<version>.tgz`, installable with
 * `npm i ./orgwarden-<version>.tgz` into any folder, with nothing else to fetch.
 *
 * Why one bundle rather than publishing the seven workspace packages together: they are orgwarden's
 * internal layers, not APIs with their own release promises, and a user who installs orgwarden should
 * get one version of all of them. esbuild bundles the CLI and every package it uses (AWS SDK
 * included) into `dist/`: the CLI, the report's worker thread, and the emulator as a chunk that only
 * `orgwarden demo` loads. The policy libraries (`scp/`, `rcp/`) and the rule catalogue (`config-rules/`) go
 * next to `dist/`, where `shippedDir` looks first. Every bundled package's licence goes into
 * THIRD_PARTY_LICENSES.md; a copyleft licence stops the build.
 *
 * Usage: tsx scripts/pack-cli.ts [--out DIR]   (run `pnpm build` first)
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const COPYLEFT = /\b(A?GPL|LGPL|SSPL)\b/i;

export async function packCli(outDir: string): Promise<string> {
  const cli = JSON.parse(readFileSync(join(ROOT, "packages/cli/package.json"), "utf8"));
  const stage = join(ROOT, ".pack", "orgwarden");
  const inputs = await bundleCli(stage);
  for (const file of ["README.md", "orgwarden.example.yaml", "orgwarden.schema.json"])
    cpSync(join(ROOT, file), join(stage, file));
  const licences = bundledLicences(inputs);
  const copyleft = licences.filter((l) => COPYLEFT.test(l.licence));
  if (copyleft.length > 0)
    throw new Error(
      `copyleft code would ship: ${copyleft.map((l) => `${l.name} (${l.licence})`).join(", ")}`,
    );
  writeFileSync(join(stage, "THIRD_PARTY_LICENSES.md"), licenceFile(licences));
  writeFileSync(
    join(stage, "package.json"),
    `${JSON.stringify(
      {
        name: "orgwarden",
        version: cli.version,
        description: cli.description,
        license: cli.license,
        type: "module",
        bin: { orgwarden: "./dist/orgwarden.js" },
        engines: { node: ">=20.19" },
        files: [
          "dist",
          "scp",
          "rcp",
          "config-rules",
          "data",
          "README.md",
          "THIRD_PARTY_LICENSES.md",
          "orgwarden.*",
        ],
      },
      null,
      2,
    )}\n`,
  );
  mkdirSync(outDir, { recursive: true });
  const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", resolve(outDir)], {
    cwd: stage,
    encoding: "utf8",
  }).trim();
  return join(resolve(outDir), name.split("\n").pop() as string);
}

/**
 * The installed package's files without its metadata: the bundle in `<stage>/dist/` (the CLI, the
 * report's worker thread, the emulator chunk) and the policy library and rule catalogue next to it,
 * where `shippedDir` looks first. The end-to-end tests run the CLI from such a folder too (one
 * bundled file loads in about half the time of the workspace's hundreds of modules). Returns the
 * files that went into the bundle.
 */
export async function bundleCli(stage: string): Promise<string[]> {
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const result = await build({
    entryPoints: {
      orgwarden: join(ROOT, "packages/cli/dist/bin.js"),
      // worker-pool.ts starts new URL("./evaluation-worker.js", import.meta.url): next to its chunk.
      "evaluation-worker": join(ROOT, "packages/report/dist/workers/evaluation-worker.js"),
    },
    outdir: join(stage, "dist"),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // The AWS SDK's ES module builds (its "module" field) rather than its CommonJS ones: esbuild can
    // drop the commands orgwarden never sends, and the CLI starts in half the CPU (0.26 s instead of
    // 0.5 s for `accounts --help`). AWS's CDK bundles SDK v3 for Node the same way (NodejsFunction
    // bundling, mainFields ['module', 'main']).
    mainFields: ["module", "main"],
    metafile: true,
    legalComments: "none",
    logLevel: "warning",
    // CommonJS dependencies (pino, …) call require(); an ES module has none of its own.
    banner: {
      js: 'import { createRequire as __owCreateRequire } from "node:module"; const require = __owCreateRequire(import.meta.url);',
    },
  });
  for (const dir of ["scp", "rcp", "config-rules"])
    cpSync(join(ROOT, dir), join(stage, dir), { recursive: true });
  // The catalogue of IAM actions that recorded activity reads (packages/activity/src/action-catalogue.ts).
  cpSync(join(ROOT, "packages/activity/data"), join(stage, "data"), { recursive: true });
  return Object.keys(result.metafile.inputs);
}

interface Licence {
  name: string;
  version: string;
  licence: string;
  text: string | undefined;
}

/** The npm packages whose files went into the bundle (pnpm paths: node_modules/.pnpm/x@v/node_modules/x/). */
function bundledLicences(inputs: string[]): Licence[] {
  const dirs = new Set<string>();
  for (const input of inputs) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.replace(/\\/g, "/"));
    if (m?.[1]) dirs.add(m[1]);
  }
  const byName = new Map<string, Licence>();
  for (const dir of dirs) {
    const pkgFile = join(ROOT, dir, "package.json");
    if (!existsSync(pkgFile)) continue;
    const pkg = JSON.parse(readFileSync(pkgFile, "utf8"));
    const licenceFile = readdirSync(join(ROOT, dir)).find((f) => /^licen[cs]e/i.test(f));
    byName.set(`${pkg.name}@${pkg.version}`, {
      name: pkg.name,
      version: pkg.version,
      licence: typeof pkg.license === "string" ? pkg.license : JSON.stringify(pkg.license ?? "UNKNOWN"),
      text: licenceFile ? readFileSync(join(ROOT, dir, licenceFile), "utf8") : undefined,
    });
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function licenceFile(licences: Licence[]): string {
  const parts = [
    "# Third-party licences",
    "",
    `orgwarden's bundle (dist/) contains code of these ${licences.length} packages.`,
    "",
    ...licences.map((l) => `- ${l.name} ${l.version}: ${l.licence}`),
    "",
  ];
  for (const l of licences.filter((x) => x.text))
    parts.push(`## ${l.name} ${l.version}`, "", "```", (l.text as string).trim(), "```", "");
  return parts.join("\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--out");
  const out = at > 0 ? (process.argv[at + 1] as string) : join(ROOT, ".pack");
  const file = await packCli(out);
  process.stdout.write(`${file}\n`);
}
