/**
 * Whether a test that needs an external tool (cfn-lint, Chromium) runs: always in CI (CI=true), where
 * a missing tool must fail the test rather than skip it; elsewhere only when the tool is there.
 */
export function runsWith(toolAvailable: boolean): boolean {
  return toolAvailable || process.env.CI === "true";
}
