import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { accessAnalyzerStandIn } from "./access-analyzer-standin.js";
import { callerIdentity } from "./caller-identity.js";
import { CLOUDTRAIL_EVENTS_PATH, cloudTrailStandIn } from "./cloudtrail-standin/cloudtrail-standin.js";
import { configComplianceStandIn } from "./config-standin/config-compliance-standin.js";
import { delegationStandIn } from "./delegation-standin.js";
import { effectivePolicyStandIn } from "./describe-effective-policy-standin.js";
import { ec2AttributesStandIn } from "./ec2-attributes-standin.js";
import { EFFECTIVE_POLICY_ERRORS_PATH, effectivePoliciesStandIn } from "./effective-policies-standin.js";
import { EMULATOR_CREDENTIALS } from "./emulator-credentials.js";
import { forwardBuffered, forwardRequest, sendBuffered } from "./forward-request.js";
import { policyTypesStandIn } from "./policy-types-standin.js";
import { rootAccessStandIn } from "./root-access-standin.js";
import { s3AccountBpaStandIn } from "./s3-account-bpa-standin.js";
import { securityHubStandIn } from "./security-hub-standin.js";
import { ANSWERED, type Answered, credentialScope, type StandInRequest, sendJson } from "./wire-protocol.js";

/**
 * The proxy `startMoto` puts in front of moto, where clients connect: it answers what moto lacks
 * and passes every other request to moto unchanged. The stand-ins behind it:
 * - root-access-standin.ts: IAM centralized root access (features, AssumeRoot and its sessions,
 *   root credentials in GetAccountSummary and ListVirtualMFADevices);
 * - security-hub-standin.ts: what Security Hub enforces on BatchImportFindings and BatchUpdateFindings;
 * - delegation-standin.ts: Organizations' delegated administration;
 * - policy-types-standin.ts: the policy types moto lacks; effective-policies-standin.ts: invalid
 *   effective policies, of every type; describe-effective-policy-standin.ts: the effective policies
 *   of the types moto lacks, which ec2-attributes-standin.ts (EC2's account attributes, with the
 *   EC2 declarative policy's) and s3-account-bpa-standin.ts (S3 organization-level Block Public
 *   Access over moto's S3 Control) answer from;
 * - config-standin/: AWS Config's evaluation of managed rules, once turned on;
 * - cloudtrail-standin/: CloudTrail's LookupEvents and Lake queries over planted events;
 * - access-analyzer-standin.ts: IAM Access Analyzer's analyzers and findings, planted (an extra stand-in
 *   of the package's own, control path /orgwarden-standin/access-analyzer).
 *
 * Control paths (not AWS): PUT or GET /orgwarden-standin/root-credentials/<account id> seeds or
 * reads a root user's credentials; PUT /orgwarden-standin/config-evaluation {"enabled":true} makes
 * the Config compliance reads answered from the emulator's state (the demo does it): until then,
 * and after a reset, they reach moto, which does not implement them; PUT, DELETE or GET
 * /orgwarden-standin/cloudtrail-events plants, forgets or counts CloudTrail events; PUT, DELETE or
 * GET /orgwarden-standin/effective-policy-errors seeds, forgets or reads invalid effective policies. POST
 * /moto-api/reset empties the stand-ins along with moto.
 *
 * Code outside the package adds its own stand-ins (`ExtraStandIn`, the tests' IAM policy simulator)
 * behind the built-in ones, each with its control path /orgwarden-standin/<name>.
 */
export interface StandInProxy {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * A stand-in added from outside the package: it sees each request the built-in stand-ins left for
 * moto, and answers it (true) or lets it pass on (false).
 */
export interface ExtraStandIn {
  /** Names its control path, `/orgwarden-standin/<name>`. */
  name: string;
  /** `callerAccount` is the account of the request's access key, as moto knows it. */
  handle(r: StandInRequest, res: ServerResponse, callerAccount: () => Promise<string>): Promise<boolean>;
  /** A request to its control path (not AWS). */
  control?(method: string, body: Buffer, res: ServerResponse): void;
  /** Back to its defaults, along with moto (POST /moto-api/reset). */
  reset?(): void;
}

const ROOT_CREDENTIALS_PATH = "/orgwarden-standin/root-credentials/";
const CONFIG_EVALUATION_PATH = "/orgwarden-standin/config-evaluation";

/** Starts the proxy on a free loopback port, in front of `target` (moto); `extra` behind the built-in stand-ins. */
export async function startStandInProxy(
  target: string,
  given: readonly ExtraStandIn[] = [],
): Promise<StandInProxy> {
  const extra = [accessAnalyzerStandIn(), ...given];
  const upstream = new URL(target);
  const identity = callerIdentity(upstream);
  const rootAccess = rootAccessStandIn(upstream, identity);
  const securityHub = securityHubStandIn(upstream, identity.account);
  const configCompliance = configComplianceStandIn(upstream, identity.account, rootAccess.credentials);
  const cloudTrail = cloudTrailStandIn();
  const policyTypes = policyTypesStandIn(upstream);
  const effectivePolicies = effectivePoliciesStandIn(upstream, policyTypes);
  const effectivePolicy = effectivePolicyStandIn(upstream, policyTypes, (key) => identity.account(key));
  const ec2Attributes = ec2AttributesStandIn(
    async (account) =>
      (await effectivePolicy.effective(account, "DECLARATIVE_POLICY_EC2"))?.ec2_attributes as
        | Record<string, Record<string, unknown> | undefined>
        | undefined,
  );
  const s3AccountBpa = s3AccountBpaStandIn((account) => effectivePolicy.effective(account, "S3_POLICY"));
  let evaluateConfigRules = false;
  // The management account of the emulator's organization, once there is one.
  let managementId: string | undefined;
  const delegation = delegationStandIn(
    {
      accessKey: EMULATOR_CREDENTIALS.accessKeyId,
      accountId: async () => {
        managementId ??= (await identity.organization(EMULATOR_CREDENTIALS.accessKeyId))?.MasterAccountId;
        return managementId;
      },
    },
    identity.account,
  );

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<Answered> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = req.url ?? "/";

    if (url.startsWith(ROOT_CREDENTIALS_PATH))
      return rootAccess.control(req.method ?? "GET", url.slice(ROOT_CREDENTIALS_PATH.length), body, res);
    if (url === CONFIG_EVALUATION_PATH) {
      if (req.method === "PUT")
        evaluateConfigRules = (JSON.parse(body.toString() || "{}") as { enabled?: boolean }).enabled === true;
      return sendJson(res, { enabled: evaluateConfigRules }, "rest-json");
    }
    if (url.split("?")[0] === CLOUDTRAIL_EVENTS_PATH)
      return cloudTrail.control(req.method ?? "GET", body, res);
    if (url.split("?")[0] === EFFECTIVE_POLICY_ERRORS_PATH) {
      effectivePolicies.control(req.method ?? "GET", body, res);
      return ANSWERED;
    }
    const controlled = extra.find((s) => s.control && url.split("?")[0] === `/orgwarden-standin/${s.name}`);
    if (controlled?.control) {
      controlled.control(req.method ?? "GET", body, res);
      return ANSWERED;
    }
    if (url.startsWith("/moto-api/reset")) {
      evaluateConfigRules = false;
      rootAccess.reset();
      delegation.reset();
      cloudTrail.reset();
      policyTypes.reset();
      effectivePolicies.reset();
      ec2Attributes.reset();
      identity.forget();
      managementId = undefined;
      for (const s of extra) s.reset?.();
    }
    const { accessKeyId: accessKey, service, region } = credentialScope(req);
    const amzTarget = String(req.headers["x-amz-target"] ?? "");
    const form = amzTarget ? new URLSearchParams() : new URLSearchParams(body.toString());
    const action = amzTarget ? amzTarget.slice(amzTarget.lastIndexOf(".") + 1) : (form.get("Action") ?? "");
    const r: StandInRequest = { req, body, accessKey, service, action, form };

    // Root-session credentials are the stand-in's own: never let moto (or another stand-in) see them.
    if (await rootAccess.sessionCall(r, res)) return ANSWERED;
    if (service === "organizations" && (await delegation(req, action, body, accessKey, res)) === ANSWERED)
      return ANSWERED;
    // After the delegation stand-in: a delegated administrator's call arrives as the management account's.
    if (service === "organizations" && (await policyTypes.handle(r, res))) return ANSWERED;
    if (service === "organizations" && (await effectivePolicies.handle(r, res))) return ANSWERED;
    if (service === "organizations" && (await effectivePolicy.handle(r, res))) return ANSWERED;
    const caller = () => identity.account(accessKey);
    if (service === "ec2" && (await ec2Attributes.handle(r, res, caller))) return ANSWERED;
    if (service === "s3" && (await s3AccountBpa.handle(r, res, caller))) return ANSWERED;
    if (service === "securityhub" && (await securityHub(req, body, accessKey, res))) return ANSWERED;
    if (
      service === "cloudtrail" &&
      (await cloudTrail.handle(action, body, { account: () => identity.account(accessKey), region }, res))
    )
      return ANSWERED;
    if (
      service === "config" &&
      evaluateConfigRules &&
      (await configCompliance(action, body, { accessKey, region }, res))
    )
      return ANSWERED;
    // After the delegation stand-in, which may have made a delegated administrator's call the management account's.
    if (await rootAccess.handle(r, res)) return ANSWERED;
    for (const s of extra) if (await s.handle(r, res, () => identity.account(accessKey))) return ANSWERED;
    if (service === "sts" && action === "AssumeRole") {
      const up = await forwardBuffered(upstream, req, body);
      const text = up.body.toString();
      const key = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(text)?.[1];
      const account = /<Arn>arn:aws[\w-]*:sts::(\d{12}):assumed-role\//.exec(text)?.[1];
      if (key && account) identity.remember(key, account);
      return sendBuffered(res, up);
    }
    return forwardRequest(upstream, req, body, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(err));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
