import type { ServerResponse } from "node:http";
import { type StandInRequest, sendJson } from "./wire-protocol.js";

/** An analyzer planted for an account (`type` ORGANIZATION for the organization's zone of trust). */
export interface PlantedAnalyzer {
  account: string;
  name: string;
  type: "ACCOUNT" | "ORGANIZATION";
}

/** An external-access finding planted on an analyzer, in the shape ListFindings returns. */
export interface PlantedFinding {
  analyzer: string;
  id: string;
  resource: string;
  resourceType: string;
  resourceOwnerAccount: string;
  principal: Record<string, string>;
  action: string[];
  isPublic?: boolean;
  status?: "ACTIVE" | "ARCHIVED" | "RESOLVED";
}

/** The control path's body: PUT replaces the analyzers and findings, GET returns them. */
export interface AccessAnalyzerState {
  analyzers: PlantedAnalyzer[];
  findings: PlantedFinding[];
}

/** An ExtraStandIn of standin-proxy.ts (the shape, without importing the file that imports this one). */
export interface AccessAnalyzerStandIn {
  name: string;
  handle(r: StandInRequest, res: ServerResponse, callerAccount: () => Promise<string>): Promise<boolean>;
  control(method: string, body: Buffer, res: ServerResponse): void;
  reset(): void;
}

/**
 * IAM Access Analyzer, which moto 5.2.1 lacks: ListAnalyzers (GET /analyzer) and ListFindings
 * (POST /finding) and ListFindingsV2 (POST /findingv2) over analyzers and findings planted through
 * /orgwarden-standin/access-analyzer, in the shapes of the API reference, paginated by maxResults
 * and nextToken; the status filter is honoured. Every other Access Analyzer call (ValidatePolicy)
 * passes on to moto. An analyzer's ARN is
 * arn:aws:access-analyzer:<region>:<account>:analyzer/<name>.
 * https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ListAnalyzers.html
 * https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ListFindings.html
 * https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ListFindingsV2.html
 */
export function accessAnalyzerStandIn(): AccessAnalyzerStandIn {
  let state: AccessAnalyzerState = { analyzers: [], findings: [] };
  const arnOf = (a: PlantedAnalyzer, region: string) =>
    `arn:aws:access-analyzer:${region}:${a.account}:analyzer/${a.name}`;
  return {
    name: "access-analyzer",
    async handle(r: StandInRequest, res: ServerResponse, callerAccount: () => Promise<string>) {
      if (r.service !== "access-analyzer") return false;
      const url = new URL(r.req.url ?? "/", "http://standin");
      const region =
        /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(r.req.headers.authorization))?.[1] ?? "us-east-1";
      if (r.req.method === "GET" && url.pathname === "/analyzer") {
        const account = await callerAccount();
        const type = url.searchParams.get("type");
        const mine = state.analyzers.filter((a) => a.account === account && (!type || a.type === type));
        const { items, nextToken } = page(
          mine,
          url.searchParams.get("maxResults"),
          url.searchParams.get("nextToken"),
        );
        sendJson(
          res,
          {
            analyzers: items.map((a) => ({
              arn: arnOf(a, region),
              name: a.name,
              type: a.type,
              createdAt: "2026-01-01T00:00:00Z",
              status: "ACTIVE",
            })),
            ...(nextToken ? { nextToken } : {}),
          },
          "rest-json",
        );
        return true;
      }
      if (r.req.method === "POST" && (url.pathname === "/finding" || url.pathname === "/findingv2")) {
        const input = JSON.parse(r.body.toString() || "{}") as {
          analyzerArn?: string;
          filter?: { status?: { eq?: string[] } };
          maxResults?: number;
          nextToken?: string;
        };
        const analyzer = state.analyzers.find((a) => arnOf(a, region) === input.analyzerArn);
        if (!analyzer) {
          res.writeHead(404, {
            "content-type": "application/json",
            "x-amzn-errortype": "ResourceNotFoundException",
          });
          res.end(
            JSON.stringify({
              message: `Analyzer ${input.analyzerArn} not found`,
              resourceId: input.analyzerArn,
              resourceType: "Analyzer",
            }),
          );
          return true;
        }
        const statuses = input.filter?.status?.eq;
        const found = state.findings.filter(
          (f) => f.analyzer === analyzer.name && (!statuses || statuses.includes(f.status ?? "ACTIVE")),
        );
        const { items, nextToken } = page(found, input.maxResults, input.nextToken);
        const v2 = url.pathname === "/findingv2";
        sendJson(
          res,
          {
            findings: items.map((f) => (v2 ? summaryV2(f) : summary(f))),
            ...(nextToken ? { nextToken } : {}),
          },
          "rest-json",
        );
        return true;
      }
      return false;
    },
    control(method, body, res) {
      if (method === "PUT") {
        const next = JSON.parse(body.toString() || "{}") as Partial<AccessAnalyzerState>;
        state = { analyzers: next.analyzers ?? [], findings: next.findings ?? [] };
      }
      sendJson(res, state, "rest-json");
    },
    reset() {
      state = { analyzers: [], findings: [] };
    },
  };
}

const AT = "2026-01-01T00:00:00Z";

function summary(f: PlantedFinding) {
  return {
    id: f.id,
    principal: f.principal,
    action: f.action,
    resource: f.resource,
    isPublic: f.isPublic ?? false,
    resourceType: f.resourceType,
    condition: {},
    createdAt: AT,
    analyzedAt: AT,
    updatedAt: AT,
    status: f.status ?? "ACTIVE",
    resourceOwnerAccount: f.resourceOwnerAccount,
  };
}

function summaryV2(f: PlantedFinding) {
  return {
    id: f.id,
    resource: f.resource,
    resourceType: f.resourceType,
    resourceOwnerAccount: f.resourceOwnerAccount,
    status: f.status ?? "ACTIVE",
    createdAt: AT,
    analyzedAt: AT,
    updatedAt: AT,
    findingType: "ExternalAccess",
  };
}

/** One page of `items` after the token (an index), `max` long (default 100). */
function page<T>(
  items: readonly T[],
  max: string | number | null | undefined,
  token: string | null | undefined,
) {
  const start = token ? Number(token) : 0;
  const size = Number(max ?? 100) || 100;
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? String(start + size) : undefined;
  return { items: slice, nextToken: next };
}
