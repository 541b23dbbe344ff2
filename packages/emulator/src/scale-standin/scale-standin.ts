import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_MFA_POLICY_NAME } from "@orgwarden/core";
import { FaultInjector, type Faults, sleep } from "../fault-injector.js";
import {
  actionOf,
  credentialScope,
  ec2Response,
  escapeXml,
  type Protocol,
  protocolOf,
  queryResponse,
  sendAnswer,
  sendAwsError,
} from "../wire-protocol.js";
import {
  accountState,
  type SyntheticAccountState,
  type SyntheticOrganization,
  type SyntheticOrganizationOptions,
  syntheticOrganization,
} from "./synthetic-organization.js";

/**
 * A stand-in for AWS that answers, in constant time per request, the operations
 * `orgwarden report --source check,scp` makes, for a synthetic organization of N accounts: moto
 * stays the emulator for correctness, this one is for scale (moto's cost per request grows with the
 * number of accounts). Each service answers in its own wire protocol with the shapes of its API
 * reference — Organizations, CloudTrail and Config JSON 1.1, IAM and STS query/XML, EC2 its query
 * dialect, GuardDuty REST-JSON — after a fixed latency, with faults injected in each service's own
 * error format (fault-injector.ts). The caller's account is read from the SigV4 credential scope:
 * AssumeRole hands out access keys that carry the account id.
 *
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccountsForParent.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountSummary.html
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html
 * https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListDetectors.html
 * https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeConfigurationRecorders.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html
 */
export interface ScaleStandInOptions extends SyntheticOrganizationOptions {
  latencyMs?: number;
  faults?: Faults;
  seed?: number;
}

export interface ScaleStandIn {
  endpoint: string;
  organization: SyntheticOrganization;
  /** Requests answered, by `Service.Action`, faults and retries included. */
  requests: Map<string, number>;
  /** Faults injected, by kind. */
  injected: Map<string, number>;
  /**
   * Positions in the order of answers (1-based): the walk's last listing call (ListAccountsForParent,
   * ListOrganizationalUnitsForParent, ListRoots, ListPolicies, ListTargetsForPolicy) and the first
   * AssumeRole. The account work overlaps the walk when the second comes first.
   */
  timeline: { lastWalkCallAt: number; firstAssumeRoleAt: number };
  /**
   * Requests in flight — received, not yet answered — since the start or the last resetCounts: the
   * mean over the time from the first request to the last answer, and the most at once. What AWS
   * would see of the run's load.
   */
  inFlight(): { mean: number; max: number };
  setFaults(faults: Faults | undefined): void;
  /** Forgets the requests, faults and timeline seen so far (between two runs). */
  resetCounts(): void;
  stop(): Promise<void>;
}

const IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
const EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
const PAGE = 20;
/** One request id for every answer: the stand-in answers in constant time, without randomness. */
const REQUEST_ID = "standin";
const REGIONS = [
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ca-central-1",
  "eu-central-1",
  "eu-north-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
];
const WALK_CALLS = new Set([
  "ListRoots",
  "ListOrganizationalUnitsForParent",
  "ListAccountsForParent",
  "ListPolicies",
  "ListTargetsForPolicy",
]);
const EPOCH = Date.parse("2026-01-15T08:00:00Z");

type Answer = {
  status?: number;
  body: string;
  protocol: Protocol;
  error?: { code: string; message: string };
};

export async function startScaleStandIn(options: ScaleStandInOptions): Promise<ScaleStandIn> {
  const org = syntheticOrganization(options);
  const latency = options.latencyMs ?? 0;
  const injector = new FaultInjector(options.faults, options.seed ?? 42);
  const requests = new Map<string, number>();
  const timeline = { lastWalkCallAt: 0, firstAssumeRoleAt: 0 };
  let answered = 0;
  const reportAsked = new Set<string>();
  const load = { now: 0, max: 0, area: 0, since: 0, last: 0 };
  const loadChanges = (by: number) => {
    const t = performance.now();
    if (load.since === 0) load.since = t;
    else load.area += load.now * (t - load.last);
    load.last = t;
    load.now += by;
    load.max = Math.max(load.max, load.now);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const scope = credentialScope(req);
    const protocol = protocolOf(req);
    const action = actionOf(req, body);
    const service = scope.service;
    const key = `${service}.${action.replace(/\/detector\/[^/?]+/, "/detector/{id}")}`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    if (latency) await sleep(latency);
    answered += 1;
    if (service === "organizations" && WALK_CALLS.has(action)) timeline.lastWalkCallAt = answered;
    if (action === "AssumeRole" && timeline.firstAssumeRoleAt === 0) timeline.firstAssumeRoleAt = answered;
    const kind = injector.choose(req, action, body);
    if (kind && (await injector.inject(kind, req, res, protocol))) return;
    const accountId = /^ASIA(\d{12})/.exec(scope.accessKeyId)?.[1] ?? org.managementAccountId;
    const index = org.accountIndex.get(accountId) ?? 0;
    const ctx: Ctx = { org, accountId, index, region: scope.region, reportAsked };
    const answer = route(service, action, protocol, body, req, ctx);
    if (answer.error) {
      sendAwsError(res, protocol, answer.status ?? 400, answer.error.code, answer.error.message);
      return;
    }
    sendAnswer(res, protocol, answer.body, answer.status);
  };

  const server = createServer((req, res) => {
    loadChanges(1);
    res.once("close", () => loadChanges(-1));
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(err));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.maxRequestsPerSocket = 0;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    organization: org,
    requests,
    injected: injector.injected,
    timeline,
    inFlight: () => ({
      mean: load.last > load.since ? load.area / (load.last - load.since) : 0,
      max: load.max,
    }),
    setFaults: (f) => injector.set(f),
    resetCounts: () => {
      requests.clear();
      injector.injected.clear();
      timeline.lastWalkCallAt = 0;
      timeline.firstAssumeRoleAt = 0;
      answered = 0;
      reportAsked.clear();
      Object.assign(load, { max: load.now, area: 0, since: 0, last: 0 });
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Ctx {
  org: SyntheticOrganization;
  accountId: string;
  index: number;
  region: string;
  reportAsked: Set<string>;
}

function route(
  service: string,
  action: string,
  protocol: Protocol,
  body: Buffer,
  req: IncomingMessage,
  ctx: Ctx,
): Answer {
  switch (service) {
    case "organizations":
      return organizations(action, JSON.parse(body.toString() || "{}") as Record<string, string>, ctx);
    case "sts":
      return sts(action, new URLSearchParams(body.toString()), ctx);
    case "iam":
      return iam(action, new URLSearchParams(body.toString()), ctx);
    case "ec2":
      return ec2(action);
    case "cloudtrail":
      return cloudtrail(action, ctx);
    case "config":
      return config(action, ctx);
    case "guardduty":
      return guardduty(req.url ?? "", ctx);
    default:
      return unknown(protocol, `${service}.${action}`);
  }
}

function unknown(protocol: Protocol, what: string): Answer {
  return {
    status: 400,
    body: "",
    protocol,
    error: { code: "InvalidAction", message: `the scale stand-in does not implement ${what}` },
  };
}

// ---- Organizations (JSON 1.1) ----

function page<T>(items: readonly T[], input: Record<string, string>): { items: T[]; NextToken?: string } {
  const start = Number(input.NextToken ?? 0);
  const size = Math.min(Number(input.MaxResults ?? PAGE), PAGE);
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { NextToken: String(end) } : {}) };
}

function json(value: unknown): Answer {
  return { body: JSON.stringify(value), protocol: "json" };
}

function jsonError(code: string, message: string): Answer {
  return { status: 400, body: "", protocol: "json", error: { code, message } };
}

function organizations(action: string, input: Record<string, string>, ctx: Ctx): Answer {
  const { org } = ctx;
  const arnOf = (id: string) =>
    id.startsWith("ou-")
      ? `arn:aws:organizations::${org.managementAccountId}:ou/${org.organizationId}/${id}`
      : id.startsWith("r-")
        ? `arn:aws:organizations::${org.managementAccountId}:root/${org.organizationId}/${id}`
        : `arn:aws:organizations::${org.managementAccountId}:account/${org.organizationId}/${id}`;
  switch (action) {
    case "DescribeOrganization":
      return json({
        Organization: {
          Id: org.organizationId,
          Arn: `arn:aws:organizations::${org.managementAccountId}:organization/${org.organizationId}`,
          FeatureSet: "ALL",
          MasterAccountId: org.managementAccountId,
          MasterAccountArn: arnOf(org.managementAccountId),
          MasterAccountEmail: "management@example.com",
          AvailablePolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }],
        },
      });
    case "ListRoots":
      return json({
        Roots: [
          {
            Id: org.rootId,
            Arn: arnOf(org.rootId),
            Name: "Root",
            PolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }],
          },
        ],
      });
    case "ListOrganizationalUnitsForParent": {
      const unit = org.units.get(input.ParentId ?? "");
      if (!unit)
        return jsonError(
          "ParentNotFoundException",
          "We can't find a root or OU with the ParentId that you specified.",
        );
      const p = page(unit.childOuIds, input);
      return json({
        OrganizationalUnits: p.items.map((id) => ({ Id: id, Arn: arnOf(id), Name: org.units.get(id)?.name })),
        NextToken: p.NextToken,
      });
    }
    case "ListAccountsForParent": {
      const unit = org.units.get(input.ParentId ?? "");
      if (!unit)
        return jsonError(
          "ParentNotFoundException",
          "We can't find a root or OU with the ParentId that you specified.",
        );
      const p = page(unit.accountIds, input);
      return json({
        Accounts: p.items.map((id) => {
          const index = org.accountIndex.get(id) ?? 0;
          const state = accountState(index).suspended ? "SUSPENDED" : "ACTIVE";
          return {
            Id: id,
            Arn: arnOf(id),
            Email: `acct-${index}@example.com`,
            Name: index === 0 ? "management" : `acct-${String(index).padStart(5, "0")}`,
            Status: state,
            State: state,
            JoinedMethod: index === 0 ? "INVITED" : "CREATED",
            JoinedTimestamp: EPOCH / 1000,
          };
        }),
        NextToken: p.NextToken,
      });
    }
    case "ListPolicies": {
      if (input.Filter !== "SERVICE_CONTROL_POLICY") return json({ Policies: [] });
      const p = page(org.policies, input);
      return json({
        Policies: p.items.map((x) => ({
          Id: x.id,
          Arn: `arn:aws:organizations::aws:policy/service_control_policy/${x.id}`,
          Name: x.name,
          Description: x.description,
          Type: "SERVICE_CONTROL_POLICY",
          AwsManaged: x.awsManaged,
        })),
        NextToken: p.NextToken,
      });
    }
    case "ListTargetsForPolicy": {
      const policy = org.policies.find((x) => x.id === input.PolicyId);
      if (!policy)
        return jsonError(
          "PolicyNotFoundException",
          "We can't find a policy with the PolicyId that you specified.",
        );
      const p = page(policy.targets, input);
      return json({
        Targets: p.items.map((id) => ({
          TargetId: id,
          Arn: arnOf(id),
          Name: org.units.get(id)?.name ?? id,
          Type: id.startsWith("ou-") ? "ORGANIZATIONAL_UNIT" : id.startsWith("r-") ? "ROOT" : "ACCOUNT",
        })),
        NextToken: p.NextToken,
      });
    }
    case "DescribePolicy": {
      const policy = org.policies.find((x) => x.id === input.PolicyId);
      if (!policy)
        return jsonError(
          "PolicyNotFoundException",
          "We can't find a policy with the PolicyId that you specified.",
        );
      return json({
        Policy: {
          PolicySummary: {
            Id: policy.id,
            Name: policy.name,
            Description: policy.description,
            Type: "SERVICE_CONTROL_POLICY",
            AwsManaged: policy.awsManaged,
          },
          Content: policy.content,
        },
      });
    }
    case "ListTagsForResource": {
      const policy = org.policies.find((x) => x.id === input.ResourceId);
      return json({ Tags: policy?.tags ?? [] });
    }
    case "ListAWSServiceAccessForOrganization":
      return json({ EnabledServicePrincipals: [] });
    default:
      return jsonError("InvalidAction", `the scale stand-in does not implement Organizations.${action}`);
  }
}

// ---- STS and IAM (query/XML) ----

function query(ns: string, action: string, result: string): Answer {
  return { body: queryResponse(ns, action, result, REQUEST_ID), protocol: "query" };
}

function queryError(status: number, code: string, message: string): Answer {
  return { status, body: "", protocol: "query", error: { code, message } };
}

function sts(action: string, form: URLSearchParams, ctx: Ctx): Answer {
  if (action === "GetCallerIdentity") {
    return query(
      STS_NS,
      action,
      `<Arn>arn:aws:iam::${ctx.accountId}:user/operator</Arn><UserId>AIDASTANDIN</UserId><Account>${ctx.accountId}</Account>`,
    );
  }
  if (action !== "AssumeRole")
    return queryError(400, "InvalidAction", `the scale stand-in does not implement STS.${action}`);
  const roleArn = form.get("RoleArn") ?? "";
  const target = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
  const index = target ? ctx.org.accountIndex.get(target[1] as string) : undefined;
  if (!target || index === undefined || accountState(index).suspended)
    return queryError(
      403,
      "AccessDenied",
      `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  const session = form.get("RoleSessionName") ?? "session";
  return query(
    STS_NS,
    action,
    `<Credentials><AccessKeyId>ASIA${target[1]}SCAL</AccessKeyId><SecretAccessKey>standin-secret</SecretAccessKey><SessionToken>standin-session-token</SessionToken><Expiration>${new Date(Date.now() + 3_600_000).toISOString()}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROASTANDIN:${escapeXml(session)}</AssumedRoleId><Arn>arn:aws:sts::${target[1]}:assumed-role/${escapeXml(target[2] as string)}/${escapeXml(session)}</Arn></AssumedRoleUser>`,
  );
}

function iam(action: string, form: URLSearchParams, ctx: Ctx): Answer {
  const s = accountState(ctx.index);
  const id = ctx.accountId;
  const member = (xml: string) => `<member>${xml}</member>`;
  switch (action) {
    case "GetAccountSummary": {
      const entries: Array<[string, number]> = [
        ["AccountMFAEnabled", s.rootMfa ? 1 : 0],
        ["AccountAccessKeysPresent", s.rootAccessKeys ? 1 : 0],
        ["AccountPasswordPresent", s.rootPassword ? 1 : 0],
        ["AccountSigningCertificatesPresent", 0],
        ["Users", s.users.length],
        ["Policies", 3],
      ];
      return query(
        IAM_NS,
        action,
        `<SummaryMap>${entries.map(([k, v]) => `<entry><key>${k}</key><value>${v}</value></entry>`).join("")}</SummaryMap>`,
      );
    }
    case "GetAccountPasswordPolicy": {
      if (s.passwordPolicy === "none")
        return queryError(404, "NoSuchEntity", `The Password Policy with domain name ${id} cannot be found.`);
      const strong = s.passwordPolicy === "strong";
      return query(
        IAM_NS,
        action,
        `<PasswordPolicy><MinimumPasswordLength>${strong ? 14 : 8}</MinimumPasswordLength><RequireSymbols>${strong}</RequireSymbols><RequireNumbers>true</RequireNumbers><RequireUppercaseCharacters>true</RequireUppercaseCharacters><RequireLowercaseCharacters>true</RequireLowercaseCharacters><AllowUsersToChangePassword>true</AllowUsersToChangePassword><ExpirePasswords>${strong}</ExpirePasswords>${strong ? "<MaxPasswordAge>90</MaxPasswordAge><PasswordReusePrevention>24</PasswordReusePrevention>" : ""}</PasswordPolicy>`,
      );
    }
    case "GenerateCredentialReport": {
      // An account whose report is being generated answers STARTED once, then COMPLETE.
      const starting = s.reportStarting && !ctx.reportAsked.has(id);
      ctx.reportAsked.add(id);
      return query(
        IAM_NS,
        action,
        `<State>${starting ? "STARTED" : "COMPLETE"}</State><Description>${starting ? "No report exists. Starting a new report generation task" : "Report is ready"}</Description>`,
      );
    }
    case "GetCredentialReport":
      return query(
        IAM_NS,
        action,
        `<Content>${Buffer.from(credentialReport(id, s)).toString("base64")}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>${new Date(EPOCH).toISOString()}</GeneratedTime>`,
      );
    case "GetPolicy": {
      const arn = form.get("PolicyArn") ?? "";
      if (s.mfaPolicy === "missing")
        return queryError(404, "NoSuchEntity", `Policy ${arn} does not exist or is not attachable.`);
      const name = arn.slice(arn.lastIndexOf("/") + 1);
      return query(
        IAM_NS,
        action,
        `<Policy><PolicyName>${escapeXml(name)}</PolicyName><PolicyId>ANPASTANDIN</PolicyId><Arn>${escapeXml(arn)}</Arn><Path>/</Path><DefaultVersionId>v1</DefaultVersionId><AttachmentCount>${s.mfaPolicy === "group" ? 1 : 0}</AttachmentCount><IsAttachable>true</IsAttachable><CreateDate>${new Date(EPOCH).toISOString()}</CreateDate><UpdateDate>${new Date(EPOCH).toISOString()}</UpdateDate></Policy>`,
      );
    }
    case "ListEntitiesForPolicy":
      return query(
        IAM_NS,
        action,
        `<PolicyGroups>${s.mfaPolicy === "group" && (form.get("EntityFilter") ?? "Group") === "Group" ? member("<GroupName>Humans</GroupName><GroupId>AGPASTANDIN</GroupId>") : ""}</PolicyGroups><PolicyUsers/><PolicyRoles/><IsTruncated>false</IsTruncated>`,
      );
    case "GetAccountAuthorizationDetails": {
      // Filter.member.N: users, groups; the MFA policy is attached to the group Humans, whose members are every user.
      const filter = [...form.entries()].filter(([k]) => k.startsWith("Filter.member.")).map(([, v]) => v);
      const wants = (f: string) => filter.length === 0 || filter.includes(f);
      const created = new Date(EPOCH).toISOString();
      const inGroup = s.mfaPolicy === "group";
      const policyArn = `arn:aws:iam::${id}:policy/${DEFAULT_MFA_POLICY_NAME}`;
      const users = s.users.map((u) =>
        member(
          `<Path>/</Path><UserName>${u.name}</UserName><UserId>AIDA${u.name.toUpperCase()}</UserId><Arn>arn:aws:iam::${id}:user/${u.name}</Arn><CreateDate>${created}</CreateDate><GroupList>${inGroup ? member("Humans") : ""}</GroupList><AttachedManagedPolicies/><Tags>${u.exempt ? member("<Key>orgwarden:mfa-exempt</Key><Value>true</Value>") : ""}</Tags>`,
        ),
      );
      const groups = inGroup
        ? [
            member(
              `<Path>/</Path><GroupName>Humans</GroupName><GroupId>AGPASTANDIN</GroupId><Arn>arn:aws:iam::${id}:group/Humans</Arn><CreateDate>${created}</CreateDate><GroupPolicyList/><AttachedManagedPolicies>${member(`<PolicyName>${DEFAULT_MFA_POLICY_NAME}</PolicyName><PolicyArn>${policyArn}</PolicyArn>`)}</AttachedManagedPolicies>`,
            ),
          ]
        : [];
      return query(
        IAM_NS,
        action,
        `<UserDetailList>${wants("User") ? users.join("") : ""}</UserDetailList><GroupDetailList>${wants("Group") ? groups.join("") : ""}</GroupDetailList><RoleDetailList/><Policies/><IsTruncated>false</IsTruncated>`,
      );
    }
    case "ListVirtualMFADevices":
      return query(
        IAM_NS,
        action,
        `<VirtualMFADevices>${
          s.rootMfa && s.rootVirtualMfa
            ? member(
                `<SerialNumber>arn:aws:iam::${id}:mfa/root-account-mfa-device</SerialNumber><User><Path>/</Path><UserName>${id}</UserName><UserId>${id}</UserId><Arn>arn:aws:iam::${id}:root</Arn><CreateDate>${new Date(EPOCH).toISOString()}</CreateDate></User><EnableDate>${new Date(EPOCH).toISOString()}</EnableDate>`,
              )
            : ""
        }</VirtualMFADevices><IsTruncated>false</IsTruncated>`,
      );
    case "ListOrganizationsFeatures":
      return queryError(
        400,
        "ServiceAccessNotEnabledException",
        "The request failed because AWS service access is not enabled for iam.amazonaws.com.",
      );
    default:
      return queryError(400, "InvalidAction", `the scale stand-in does not implement IAM.${action}`);
  }
}

function credentialReport(accountId: string, s: SyntheticAccountState): string {
  const header =
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active";
  const at = new Date(EPOCH).toISOString().replace(".000Z", "+00:00");
  const rows = [
    `<root_account>,arn:aws:iam::${accountId}:root,${at},not_supported,${at},not_supported,not_supported,${s.rootMfa}`,
    ...s.users.map(
      (u) =>
        `${u.name},arn:aws:iam::${accountId}:user/${u.name},${at},${u.console},${u.console ? at : "N/A"},${u.console ? at : "N/A"},N/A,${u.mfa}`,
    ),
  ];
  return `${header}\n${rows.join("\n")}`;
}

// ---- EC2 (EC2 query) ----

function ec2(action: string): Answer {
  if (action !== "DescribeRegions")
    return {
      status: 400,
      body: "",
      protocol: "ec2-query",
      error: { code: "InvalidAction", message: `the scale stand-in does not implement EC2.${action}` },
    };
  return {
    body: ec2Response(
      EC2_NS,
      action,
      `<regionInfo>${REGIONS.map(
        (r) =>
          `<item><regionName>${r}</regionName><regionEndpoint>ec2.${r}.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>`,
      ).join("")}</regionInfo>`,
      REQUEST_ID,
    ),
    protocol: "ec2-query",
  };
}

// ---- CloudTrail and Config (JSON 1.1) ----

function cloudtrail(action: string, ctx: Ctx): Answer {
  const s = accountState(ctx.index);
  const management = ctx.index === 0;
  const name = management ? "organization-trail" : "account-trail";
  const arn = `arn:aws:cloudtrail:us-east-1:${ctx.accountId}:trail/${name}`;
  switch (action) {
    case "DescribeTrails":
      // The management account's organization trail is stopped, so every member's own trail is read.
      return json({
        trailList:
          management || s.trail !== "none"
            ? [
                {
                  Name: name,
                  TrailARN: arn,
                  HomeRegion: "us-east-1",
                  IsMultiRegionTrail: true,
                  IsOrganizationTrail: management,
                  S3BucketName: "trail-bucket",
                },
              ]
            : [],
      });
    case "GetTrailStatus":
      return json({ IsLogging: !management && s.trail === "logging" });
    case "GetEventSelectors":
      return json({
        TrailARN: arn,
        EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true }],
      });
    default:
      return jsonError("InvalidAction", `the scale stand-in does not implement CloudTrail.${action}`);
  }
}

function config(action: string, ctx: Ctx): Answer {
  const on = accountState(ctx.index).configRecorder;
  switch (action) {
    case "DescribeConfigurationRecorders":
      return json({
        ConfigurationRecorders: on
          ? [
              {
                name: "default",
                roleARN: `arn:aws:iam::${ctx.accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
                recordingGroup: {
                  allSupported: true,
                  includeGlobalResourceTypes: ctx.region === "us-east-1",
                },
              },
            ]
          : [],
      });
    case "DescribeConfigurationRecorderStatus":
      return json({
        ConfigurationRecordersStatus: on ? [{ name: "default", recording: true, lastStatus: "SUCCESS" }] : [],
      });
    case "DescribeDeliveryChannels":
      return json({ DeliveryChannels: on ? [{ name: "default", s3BucketName: "config-bucket" }] : [] });
    case "DescribeConfigRules":
      return json({ ConfigRules: [] });
    default:
      return jsonError("InvalidAction", `the scale stand-in does not implement Config.${action}`);
  }
}

// ---- GuardDuty (REST-JSON) ----

function guardduty(url: string, ctx: Ctx): Answer {
  const on = accountState(ctx.index).guardDuty;
  const path = url.split("?")[0] ?? "";
  const detectorId = `d${ctx.accountId}${ctx.region.replace(/-/g, "")}`.slice(0, 32);
  if (path === "/detector")
    return { body: JSON.stringify({ detectorIds: on ? [detectorId] : [] }), protocol: "rest-json" };
  if (path.startsWith("/detector/"))
    return {
      body: JSON.stringify({
        status: "ENABLED",
        serviceRole: `arn:aws:iam::${ctx.accountId}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
        createdAt: new Date(EPOCH).toISOString(),
        findingPublishingFrequency: "SIX_HOURS",
      }),
      protocol: "rest-json",
    };
  return {
    status: 404,
    body: "",
    protocol: "rest-json",
    error: {
      code: "BadRequestException",
      message: `the scale stand-in does not implement GuardDuty ${path}`,
    },
  };
}
