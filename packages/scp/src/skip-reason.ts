import { isAwsError } from "@orgwarden/core";

/**
 * Why an optional check (Service Quotas, Access Analyzer, listing roles) was skipped, in words that
 * say what to do: a permission to grant, or that the endpoint (an emulator) lacks the API.
 */
export function skipReason(err: unknown, action: string): string {
  const name = (err as Error | undefined)?.name ?? "error";
  if (isAwsError(err, "AccessDeniedException", "AccessDenied")) return `${name}: allow ${action} to use it`;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (name === "SyntaxError" || name === "UnknownOperationException" || status === 404 || status === 501) {
    return `the endpoint does not implement ${action}`;
  }
  // An answer that is not AWS's at all (an emulator's HTML error page): the SDK cannot read it.
  if (/Deserialization error/.test((err as Error | undefined)?.message ?? "")) {
    return `the endpoint does not implement ${action} (HTTP ${status ?? "?"}, not an AWS answer)`;
  }
  return name;
}

/**
 * An error that will not go away within one command: no permission, or an endpoint without the API
 * (a retry, or the next plan of the same run, would get the same answer). Throttling and network
 * errors are not.
 */
export function isLastingRefusal(err: unknown): boolean {
  if (isAwsError(err, "AccessDeniedException", "AccessDenied")) return true;
  const reason = skipReason(err, "");
  return reason.startsWith("the endpoint does not implement");
}
