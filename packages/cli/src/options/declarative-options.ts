import {
  apiSpelling,
  DECLARATIVE_POLICY_KINDS,
  type DeclarativeParameter,
  type DeclarativePolicyType,
} from "@orgwarden/scp";
import type { Command } from "commander";

/** The key commander gives a flag's value: --imds-http-tokens → imdsHttpTokens. */
function flagKey(flag: string): string {
  return flag.replace(/^--/, "").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** A setting's help: what it sets and the values AWS allows, in the EC2 API's spelling. */
function describeSetting(p: DeclarativeParameter): string {
  const values = Array.isArray(p.values)
    ? p.values.map(apiSpelling).join(" | ")
    : (p.values as { expected: string }).expected;
  return `${p.describes}: ${values}`;
}

/**
 * One flag per setting of the type's policy (its renderer's parameters: flag, help and values in
 * one place, packages/scp/src/declarative/), e.g. --block-public-access, --imds-http-tokens.
 */
export function addDeclarativeFlags(cmd: Command, type: DeclarativePolicyType): Command {
  for (const p of DECLARATIVE_POLICY_KINDS[type].parameters)
    cmd.option(`${p.flag} <value>`, describeSetting(p));
  return cmd;
}

/**
 * The parameter set the flags give, by the renderer's names ({ ImdsHttpTokens: "required" }); flags
 * not given are left out, and the renderer refuses what AWS would.
 */
export function declarativeParameters(
  flags: Readonly<Record<string, unknown>>,
  type: DeclarativePolicyType,
): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const p of DECLARATIVE_POLICY_KINDS[type].parameters) {
    const value = flags[flagKey(p.flag)];
    if (value !== undefined) parameters[p.name] = value;
  }
  return parameters;
}
