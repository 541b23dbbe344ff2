import type { IncomingMessage, ServerResponse } from "node:http";
import { type Answered, sendAwsError, sendJson } from "./wire-protocol.js";

/**
 * What AWS Security Hub enforces and moto 5.2.1 does not, in front of moto (REST-JSON, the shapes
 * and error codes of the API reference):
 * - BatchImportFindings takes 1 to 100 findings, and "the identifier of the account that you are
 *   calling BatchImportFindings from needs to be the same as the AwsAccountId attribute for the
 *   finding" (the whole request is refused with AccessDeniedException otherwise); a caller without
 *   Security Hub enabled in the region gets each finding back in FailedFindings as InvalidAccess.
 *   https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html
 * - BatchUpdateFindings (moto: "not yet implemented"): up to 100 findings of the caller's account;
 *   sets Workflow.Status on those that exist, UnprocessedFindings (FindingNotFound) for the others.
 *   https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchUpdateFindings.html
 * Findings stay in moto (GetFindings reads them there): an update re-imports the finding with its
 * new workflow, which moto stores as sent.
 */
export type SecurityHubHandler = (
  req: IncomingMessage,
  body: Buffer,
  accessKey: string,
  res: ServerResponse,
) => Promise<Answered | undefined>;

interface Finding {
  Id: string;
  ProductArn: string;
  AwsAccountId: string;
  Workflow?: { Status: string };
  [k: string]: unknown;
}

export function securityHubStandIn(
  upstream: URL,
  callerAccount: (accessKey: string) => Promise<string>,
): SecurityHubHandler {
  const ask = async (req: IncomingMessage, method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = {
      authorization: String(req.headers.authorization ?? ""),
      "content-type": "application/json",
    };
    const res = await fetch(`${upstream.origin}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const allFindings = async (req: IncomingMessage): Promise<Finding[]> => {
    const out: Finding[] = [];
    let token: string | undefined;
    do {
      const page = await ask(req, "POST", "/findings", {
        MaxResults: 100,
        ...(token ? { NextToken: token } : {}),
      });
      out.push(...((page.json.Findings as Finding[]) ?? []));
      token = page.json.NextToken as string | undefined;
    } while (token);
    return out;
  };

  return async (req, body, accessKey, res) => {
    const path = (req.url ?? "").split("?")[0];
    const input = JSON.parse(body.toString() || "{}") as Record<string, unknown>;
    if (req.method === "POST" && path === "/findings/import") {
      const findings = (input.Findings as Finding[] | undefined) ?? [];
      if (findings.length < 1 || findings.length > 100)
        return sendAwsError(
          res,
          "rest-json",
          400,
          "InvalidInputException",
          "Findings must hold between 1 and 100 findings",
        );
      const caller = await callerAccount(accessKey);
      const foreign = findings.find((f) => f.AwsAccountId !== caller);
      if (foreign)
        return sendAwsError(
          res,
          "rest-json",
          403,
          "AccessDeniedException",
          `User: arn:aws:sts::${caller}:assumed-role is not authorized to perform: securityhub:BatchImportFindings on resource: ${foreign.ProductArn}`,
        );
      if ((await ask(req, "GET", "/accounts")).status !== 200)
        return sendJson(
          res,
          {
            FailedCount: findings.length,
            SuccessCount: 0,
            FailedFindings: findings.map((f) => ({
              Id: f.Id,
              ErrorCode: "InvalidAccess",
              ErrorMessage: `Account ${caller} is not subscribed to AWS Security Hub`,
            })),
          },
          "rest-json",
        );
      // A provider cannot change Workflow on an existing finding: keep what moto holds.
      const held = new Map((await allFindings(req)).map((f) => [`${f.ProductArn} ${f.Id}`, f]));
      const sent = findings.map((f) => {
        const old = held.get(`${f.ProductArn} ${f.Id}`);
        const { Workflow: _ignored, ...rest } = f;
        return old?.Workflow ? { ...rest, Workflow: old.Workflow } : rest;
      });
      const up = await ask(req, "POST", "/findings/import", { Findings: sent });
      return sendJson(res, up.json, "rest-json", up.status);
    }
    if (req.method === "PATCH" && path === "/findings/batchupdate") {
      const ids = (input.FindingIdentifiers as Array<{ Id: string; ProductArn: string }> | undefined) ?? [];
      if (ids.length < 1 || ids.length > 100)
        return sendAwsError(
          res,
          "rest-json",
          400,
          "InvalidInputException",
          "FindingIdentifiers must hold between 1 and 100 findings",
        );
      const caller = await callerAccount(accessKey);
      const held = new Map(
        (await allFindings(req))
          .filter((f) => f.AwsAccountId === caller)
          .map((f) => [`${f.ProductArn} ${f.Id}`, f]),
      );
      const processed: Array<{ Id: string; ProductArn: string }> = [];
      const unprocessed: unknown[] = [];
      const updated: Finding[] = [];
      for (const id of ids) {
        const f = held.get(`${id.ProductArn} ${id.Id}`);
        if (!f) {
          unprocessed.push({
            FindingIdentifier: id,
            ErrorCode: "FindingNotFound",
            ErrorMessage: "Finding Not Found",
          });
          continue;
        }
        const workflow = input.Workflow as { Status?: string } | undefined;
        updated.push(workflow?.Status ? { ...f, Workflow: { Status: workflow.Status } } : f);
        processed.push(id);
      }
      if (updated.length) await ask(req, "POST", "/findings/import", { Findings: updated });
      return sendJson(res, { ProcessedFindings: processed, UnprocessedFindings: unprocessed }, "rest-json");
    }
    return undefined;
  };
}
