import { OrgwardenError } from "./errors.js";

/** Where a failed request was going, attached by the ClientFactory's middleware. */
export const ENDPOINT_OF_ERROR = Symbol.for("orgwarden.endpoint");

export interface FailedRequestTarget {
  /** The SDK client's service, e.g. "Organizations". */
  service: string;
  /** The operation, e.g. "GetComplianceDetailsByConfigRule". */
  operation?: string;
  /** The client's timeout for one attempt. */
  timeoutSeconds?: number;
  /** scheme://host[:port] */
  endpoint: string;
}

const REFUSED = new Set(["ECONNREFUSED"]);
const DNS = new Set(["ENOTFOUND", "EAI_AGAIN"]);
const DROPPED = new Set(["ECONNRESET", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED"]);
const TLS =
  /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET|VERIFY)|ERR_TLS_|ERR_SSL_|EPROTO$)/;

/**
 * A failure to reach AWS (nothing listening, DNS, TLS, a timeout) as one line naming the service
 * and the endpoint, with what to check; undefined when `err` is not a network failure.
 */
export function describeNetworkError(err: unknown): OrgwardenError | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as {
    code?: string;
    name?: string;
    message?: string;
    [ENDPOINT_OF_ERROR]?: FailedRequestTarget;
  };
  const code = e.code ?? "";
  const target = e[ENDPOINT_OF_ERROR];
  const timedOut = e.name === "TimeoutError" || code === "ETIMEDOUT";
  const kind = timedOut
    ? `no answer within ${target?.timeoutSeconds ? `${target.timeoutSeconds} s (--request-timeout)` : "the request timeout"}`
    : REFUSED.has(code)
      ? "nothing is listening there (connection refused)"
      : DNS.has(code)
        ? `its host name does not resolve (${code})`
        : TLS.test(code)
          ? `the TLS handshake failed (${code})`
          : DROPPED.has(code)
            ? `the connection failed (${code})`
            : undefined;
  if (!kind) return undefined;
  const where = target ? `${target.service} at ${target.endpoint}` : "the AWS endpoint";
  const hint = TLS.test(code)
    ? "Check the endpoint's certificate; behind a TLS-inspecting proxy, point NODE_EXTRA_CA_CERTS at its CA bundle."
    : timedOut
      ? "Check the network path to AWS (proxy, firewall), or raise --request-timeout."
      : "Check --endpoint-url / AWS_ENDPOINT_URL (unset it for AWS itself), --region, and the network.";
  return new OrgwardenError("UNREACHABLE", `cannot reach ${where}: ${kind}`, { hint, cause: err });
}

/** IAM's prefix for an SDK client's service name (ConfigService → config). */
const IAM_PREFIX: Record<string, string> = {
  ConfigService: "config",
  ServiceQuotas: "servicequotas",
  AccessAnalyzer: "access-analyzer",
};

/**
 * An endpoint that answered with something that is not an AWS response (an HTML error page): it
 * does not implement the operation (a local emulator lacks some APIs). Undefined otherwise.
 */
export function describeUnimplemented(err: unknown): OrgwardenError | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as {
    name?: string;
    message?: string;
    $response?: { statusCode?: number };
    $metadata?: { httpStatusCode?: number };
    [ENDPOINT_OF_ERROR]?: FailedRequestTarget;
  };
  const unparsable = e.name === "SyntaxError" || /Deserialization error/.test(e.message ?? "");
  const target = e[ENDPOINT_OF_ERROR];
  if (!unparsable || !target?.operation) return undefined;
  const status = e.$response?.statusCode ?? e.$metadata?.httpStatusCode;
  const action = `${IAM_PREFIX[target.service] ?? target.service.toLowerCase()}:${target.operation}`;
  return new OrgwardenError(
    "AWS_ERROR",
    `the endpoint ${target.endpoint} does not implement ${action} (it answered${status ? ` HTTP ${status}` : ""} with something that is not an AWS response)`,
    {
      hint: "A local emulator lacks some AWS APIs; against AWS itself, check --endpoint-url / AWS_ENDPOINT_URL.",
      cause: err,
    },
  );
}
