import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { CallerIdentity, EmulatorOrganization } from "./caller-identity.js";
import { forwardBuffered, sendBuffered } from "./forward-request.js";
import {
  ANSWERED,
  type Answered,
  type StandInRequest,
  sendAwsError,
  sendJson,
  sendQuery,
  sendQueryError,
} from "./wire-protocol.js";

/**
 * What moto lacks of IAM centralized root access (checked against moto 5.2.1 and 5.2.3), for the
 * stand-in proxy (standin-proxy.ts): trusted access for iam.amazonaws.com,
 * iam:ListOrganizationsFeatures and the Enable/Disable…Root… calls, sts:AssumeRoot, and the IAM
 * calls an AssumeRoot session makes on the root user.
 *
 * It speaks each service's wire protocol (Organizations: JSON 1.1; IAM and STS: query/XML) with the
 * shapes and error codes of the AWS API references:
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_EnableOrganizationsRootCredentialsManagement.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/security-iam-awsmanpol.html (the root-task policies,
 * version 1 of 2024-11-06, which is what AWS serves as the default version)
 *
 * Root credentials are held per account. An account nobody seeded has none, as an account made with
 * CreateAccount has none until someone recovers its root password. For seeded accounts the
 * AccountMFAEnabled/…Present keys of GetAccountSummary come from this state, so direct checks and
 * root audits agree. Seed with PUT /orgwarden-standin/root-credentials/<account id>; read back
 * with GET on the same path; POST /moto-api/reset empties it along with moto.
 */
export interface RootCredentialSeed {
  password?: boolean;
  accessKeys?: Array<"Active" | "Inactive">;
  signingCertificates?: Array<"Active" | "Inactive">;
  /** "virtual" (an IAM virtual device), "hardware" (a TOTP token) or "fido" (a security key). */
  mfaDevices?: Array<"virtual" | "hardware" | "fido">;
  /** sts:AssumeRoot into this account answers AccessDenied (as an SCP without the AssumedRoot exemption would). */
  denyAssumeRoot?: boolean;
}

export interface RootCredentialState {
  password: { createDate: string } | null;
  accessKeys: Array<{ id: string; status: "Active" | "Inactive"; createDate: string }>;
  signingCertificates: Array<{ id: string; status: "Active" | "Inactive"; uploadDate: string }>;
  /** `active` false once DeactivateMFADevice ran (the device object can remain, unassigned). */
  mfaDevices: Array<{ serial: string; enableDate: string; active: boolean }>;
  denyAssumeRoot: boolean;
}

export interface RootAccessStandIn {
  /**
   * A call made with AssumeRoot session credentials, or sts:AssumeRoot itself: answered here, as
   * root-session credentials are the stand-in's own and moto must never see them.
   */
  sessionCall(r: StandInRequest, res: ServerResponse): Promise<Answered | undefined>;
  /** The feature and trusted-access calls, and moto's answers that the root credentials change. */
  handle(r: StandInRequest, res: ServerResponse): Promise<Answered | undefined>;
  /** PUT (seed) or GET /orgwarden-standin/root-credentials/<account id>. */
  control(method: string, accountId: string, body: Buffer, res: ServerResponse): Answered;
  /** An account's root credentials, or undefined when nothing was ever held for it. */
  credentials(accountId: string): RootCredentialState | undefined;
  /** Forgets everything (POST /moto-api/reset). */
  reset(): void;
}

const IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
const TASK_PREFIX = /^arn:aws[\w-]*:iam::aws:policy\/root-task\/(\w+)$/;
const IAM_TASKS = new Set([
  "IAMAuditRootUserCredentials",
  "IAMCreateRootUserPassword",
  "IAMDeleteRootUserCredentials",
]);
const SESSION_TASKS = new Set(["S3UnlockBucketPolicy", "SQSUnlockQueuePolicy"]);
const READ_ACTIONS = [
  "ListAccessKeys",
  "ListSigningCertificates",
  "GetLoginProfile",
  "ListMFADevices",
  "GetUser",
  "GetAccessKeyLastUsed",
];
/** What each IAM root task lets a session do (the Deny/NotAction lists of the AWS managed root-task policies). */
const TASK_ACTIONS: Record<string, ReadonlySet<string>> = {
  IAMAuditRootUserCredentials: new Set([...READ_ACTIONS, "GetAccountSummary"]),
  IAMDeleteRootUserCredentials: new Set([
    ...READ_ACTIONS,
    "DeleteAccessKey",
    "DeleteSigningCertificate",
    "DeleteLoginProfile",
    "DeactivateMFADevice",
    "DeleteVirtualMFADevice",
  ]),
  IAMCreateRootUserPassword: new Set(["CreateLoginProfile", "GetLoginProfile"]),
};

interface RootSession {
  accountId: string;
  task: string;
  expires: number;
}

interface OrgFeatures {
  trustedAccess: string | undefined;
  features: Set<string>;
}

export function rootAccessStandIn(upstream: URL, identity: CallerIdentity): RootAccessStandIn {
  const accounts = new Map<string, RootCredentialState>();
  const seeded = new Set<string>();
  const sessions = new Map<string, RootSession>();
  const orgs = new Map<string, OrgFeatures>();

  const stateOf = (accountId: string): RootCredentialState => {
    let s = accounts.get(accountId);
    if (!s) {
      s = { password: null, accessKeys: [], signingCertificates: [], mfaDevices: [], denyAssumeRoot: false };
      accounts.set(accountId, s);
    }
    return s;
  };
  const featuresOf = (organizationId: string): OrgFeatures => {
    let f = orgs.get(organizationId);
    if (!f) {
      f = { trustedAccess: undefined, features: new Set() };
      orgs.set(organizationId, f);
    }
    return f;
  };

  /** The organization of a caller that must be its management account, or the IAM error to answer. */
  const managementCaller = async (
    accessKey: string,
  ): Promise<{ org: EmulatorOrganization } | { error: [number, string, string] }> => {
    const org = await identity.organization(accessKey);
    if (!org)
      return {
        error: [
          400,
          "OrganizationNotFoundException",
          "The request was rejected because no organization is associated with your account.",
        ],
      };
    if ((await identity.account(accessKey)) !== org.MasterAccountId) {
      return {
        error: [
          400,
          "AccountNotManagementOrDelegatedAdministratorException",
          "The request was rejected because the account making the request is not the management account or delegated administrator account for centralized root access.",
        ],
      };
    }
    if (org.FeatureSet !== "ALL")
      return {
        error: [
          400,
          "OrganizationNotInAllFeaturesModeException",
          "The request was rejected because your organization does not have All features enabled.",
        ],
      };
    return { org };
  };

  /** ListOrganizationsFeatures and the Enable/Disable calls: all answer with the features now on. */
  const handleIamFeatures = async (
    action: string,
    accessKey: string,
    res: ServerResponse,
  ): Promise<Answered> => {
    const caller = await managementCaller(accessKey);
    if ("error" in caller) return sendQueryError(res, IAM_NS, ...caller.error);
    const f = featuresOf(caller.org.Id);
    if (!f.trustedAccess) {
      return sendQueryError(
        res,
        IAM_NS,
        400,
        "ServiceAccessNotEnabledException",
        "The request was rejected because trusted access is not enabled for IAM in AWS Organizations.",
      );
    }
    const feature = action.endsWith("RootCredentialsManagement")
      ? "RootCredentialsManagement"
      : "RootSessions";
    if (action.startsWith("Enable")) f.features.add(feature);
    if (action.startsWith("Disable")) f.features.delete(feature);
    const members = [...f.features]
      .sort()
      .map((x) => `<member>${x}</member>`)
      .join("");
    return sendQuery(
      res,
      IAM_NS,
      action,
      `<OrganizationId>${caller.org.Id}</OrganizationId><EnabledFeatures>${members}</EnabledFeatures>`,
    );
  };

  const handleAssumeRoot = async (
    form: URLSearchParams,
    accessKey: string,
    res: ServerResponse,
  ): Promise<Answered> => {
    if (sessions.has(accessKey)) {
      return sendQueryError(
        res,
        STS_NS,
        403,
        "AccessDenied",
        "AssumeRoot cannot be called with root user credentials.",
      );
    }
    const targetPrincipal = form.get("TargetPrincipal") ?? "";
    const taskArn = form.get("TaskPolicyArn.arn") ?? "";
    const duration = Number(form.get("DurationSeconds") ?? 900);
    const target =
      /^(\d{12})$/.exec(targetPrincipal)?.[1] ??
      /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(targetPrincipal)?.[1];
    if (!target) {
      return sendQueryError(
        res,
        STS_NS,
        400,
        "ValidationError",
        `1 validation error detected: Value '${targetPrincipal}' at 'targetPrincipal' failed to satisfy constraint: must be an account id or the ARN of its root user`,
      );
    }
    if (!Number.isInteger(duration) || duration < 0 || duration > 900) {
      return sendQueryError(
        res,
        STS_NS,
        400,
        "ValidationError",
        `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 900`,
      );
    }
    const task = TASK_PREFIX.exec(taskArn)?.[1];
    if (!task || !(IAM_TASKS.has(task) || SESSION_TASKS.has(task))) {
      return sendQueryError(
        res,
        STS_NS,
        400,
        "ValidationError",
        `The task policy ${taskArn} is not a root-task policy`,
      );
    }
    const org = await identity.organization(accessKey);
    const caller = await identity.account(accessKey);
    const denied = (why: string) =>
      sendQueryError(
        res,
        STS_NS,
        403,
        "AccessDenied",
        `User: arn:aws:iam::${caller}:user/operator is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::${target}:root (${why})`,
      );
    if (!org || caller !== org.MasterAccountId)
      return denied("the caller is not the management account of an organization");
    const f = featuresOf(org.Id);
    const needed = IAM_TASKS.has(task) ? "RootCredentialsManagement" : "RootSessions";
    if (!f.features.has(needed)) return denied(`centralized root access: ${needed} is not enabled`);
    if (target === org.MasterAccountId) return denied("AssumeRoot cannot target the management account");
    const status = await identity.accountStatus(accessKey, target);
    if (!status) return denied(`account ${target} is not a member of organization ${org.Id}`);
    if (status !== "ACTIVE") return denied(`account ${target} is ${status}`);
    if (accounts.get(target)?.denyAssumeRoot) return denied("explicit deny in a service control policy");
    const accessKeyId = `ASIA${token(8).toUpperCase().slice(0, 16)}`;
    const expires = Date.now() + duration * 1000;
    sessions.set(accessKeyId, { accountId: target, task, expires });
    return sendQuery(
      res,
      STS_NS,
      "AssumeRoot",
      `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${token(20)}</SecretAccessKey><SessionToken>${token(64)}</SessionToken><Expiration>${new Date(expires).toISOString()}</Expiration></Credentials>`,
    );
  };

  /** An IAM call made with AssumeRoot session credentials: answered from the account's root state. */
  const handleRootSession = (
    session: RootSession,
    service: string,
    action: string,
    form: URLSearchParams,
    res: ServerResponse,
  ): Answered => {
    const arn = `arn:aws:iam::${session.accountId}:root`;
    if (Date.now() >= session.expires) {
      return sendQueryError(
        res,
        IAM_NS,
        403,
        "ExpiredToken",
        "The security token included in the request is expired",
      );
    }
    const deny = (resource = arn) =>
      sendQueryError(
        res,
        service === "sts" ? STS_NS : IAM_NS,
        403,
        "AccessDenied",
        `User: ${arn} is not authorized to perform: ${service}:${action} on resource: ${resource} with an explicit deny in a session policy`,
      );
    if (service !== "iam" || !TASK_ACTIONS[session.task]?.has(action)) return deny();
    const userName = form.get("UserName");
    if (userName) return deny(`arn:aws:iam::${session.accountId}:user/${userName}`);
    const s = stateOf(session.accountId);
    const noSuch = (what: string) => sendQueryError(res, IAM_NS, 404, "NoSuchEntity", what);
    switch (action) {
      case "GetLoginProfile":
        if (!s.password) return noSuch(`Login Profile for User ${session.accountId} cannot be found.`);
        return sendQuery(
          res,
          IAM_NS,
          action,
          `<LoginProfile><UserName>${session.accountId}</UserName><CreateDate>${s.password.createDate}</CreateDate><PasswordResetRequired>false</PasswordResetRequired></LoginProfile>`,
        );
      case "DeleteLoginProfile":
        if (!s.password) return noSuch(`Login Profile for User ${session.accountId} cannot be found.`);
        s.password = null;
        return sendQuery(res, IAM_NS, action, "");
      case "ListAccessKeys":
        return sendQuery(
          res,
          IAM_NS,
          action,
          `<AccessKeyMetadata>${s.accessKeys.map((k) => `<member><AccessKeyId>${k.id}</AccessKeyId><Status>${k.status}</Status><CreateDate>${k.createDate}</CreateDate></member>`).join("")}</AccessKeyMetadata><IsTruncated>false</IsTruncated>`,
        );
      case "DeleteAccessKey": {
        const id = form.get("AccessKeyId") ?? "";
        if (!s.accessKeys.some((k) => k.id === id))
          return noSuch(`The Access Key with id ${id} cannot be found.`);
        s.accessKeys = s.accessKeys.filter((k) => k.id !== id);
        return sendQuery(res, IAM_NS, action, "");
      }
      case "ListSigningCertificates":
        return sendQuery(
          res,
          IAM_NS,
          action,
          `<Certificates>${s.signingCertificates.map((c) => `<member><UserName>${session.accountId}</UserName><CertificateId>${c.id}</CertificateId><CertificateBody>-----BEGIN CERTIFICATE-----</CertificateBody><Status>${c.status}</Status><UploadDate>${c.uploadDate}</UploadDate></member>`).join("")}</Certificates><IsTruncated>false</IsTruncated>`,
        );
      case "DeleteSigningCertificate": {
        const id = form.get("CertificateId") ?? "";
        if (!s.signingCertificates.some((c) => c.id === id))
          return noSuch(`The Certificate with id ${id} cannot be found.`);
        s.signingCertificates = s.signingCertificates.filter((c) => c.id !== id);
        return sendQuery(res, IAM_NS, action, "");
      }
      case "ListMFADevices":
        return sendQuery(
          res,
          IAM_NS,
          action,
          `<MFADevices>${s.mfaDevices
            .filter((d) => d.active)
            .map(
              (d) =>
                `<member><UserName>${session.accountId}</UserName><SerialNumber>${d.serial}</SerialNumber><EnableDate>${d.enableDate}</EnableDate></member>`,
            )
            .join("")}</MFADevices><IsTruncated>false</IsTruncated>`,
        );
      case "DeactivateMFADevice": {
        const serial = form.get("SerialNumber") ?? "";
        const device = s.mfaDevices.find((d) => d.serial === serial && d.active);
        if (!device) return noSuch(`MFA Device with serial number ${serial} does not exist.`);
        device.active = false;
        return sendQuery(res, IAM_NS, action, "");
      }
      case "DeleteVirtualMFADevice":
        // Allowed by name, but the task policy's second statement denies its actions on any resource
        // other than arn:aws:iam::*:root, and this action's resource is the device's own ARN.
        return deny(form.get("SerialNumber") ?? "");
      case "GetAccountSummary":
        return sendQuery(
          res,
          IAM_NS,
          action,
          `<SummaryMap>${summaryEntries(s)
            .map(([k, v]) => `<entry><key>${k}</key><value>${v}</value></entry>`)
            .join("")}</SummaryMap>`,
        );
      case "GetUser":
        return sendQuery(
          res,
          IAM_NS,
          action,
          `<User><Path>/</Path><UserName>${session.accountId}</UserName><UserId>${session.accountId}</UserId><Arn>${arn}</Arn><CreateDate>2020-01-01T00:00:00Z</CreateDate></User>`,
        );
      default:
        return deny();
    }
  };

  const control = (method: string, accountId: string, body: Buffer, res: ServerResponse): Answered => {
    if (!/^\d{12}$/.test(accountId)) {
      res.writeHead(400);
      res.end("account id expected");
      return ANSWERED;
    }
    if (method === "PUT") {
      const seed = JSON.parse(body.toString() || "{}") as RootCredentialSeed;
      const at = "2024-01-15T10:00:00Z";
      const n = accountId.slice(-4);
      accounts.set(accountId, {
        password: seed.password ? { createDate: at } : null,
        accessKeys: (seed.accessKeys ?? []).map((status, i) => ({
          id: `AKIAROOT${n}${i}EXAMPLE`.slice(0, 20),
          status,
          createDate: at,
        })),
        signingCertificates: (seed.signingCertificates ?? []).map((status, i) => ({
          id: `ROOTCERT${n}${i}${"0".repeat(24)}`.slice(0, 32),
          status,
          uploadDate: at,
        })),
        mfaDevices: (seed.mfaDevices ?? []).map((kind, i) => ({
          serial:
            kind === "virtual"
              ? `arn:aws:iam::${accountId}:mfa/root-account-mfa-device${i || ""}`
              : kind === "fido"
                ? `arn:aws:iam::${accountId}:u2f/root/security-key-${i}`
                : `GAHT${n}${String(i).padStart(4, "0")}`,
          enableDate: at,
          active: true,
        })),
        denyAssumeRoot: seed.denyAssumeRoot ?? false,
      });
      seeded.add(accountId);
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(accounts.get(accountId) ?? stateOf(accountId)));
    return ANSWERED;
  };

  return {
    sessionCall: async ({ accessKey, service, action, form }, res) => {
      const session = sessions.get(accessKey);
      if (session) return handleRootSession(session, service, action, form, res);
      if (service === "sts" && action === "AssumeRoot") return handleAssumeRoot(form, accessKey, res);
      return undefined;
    },
    handle: async ({ req, body, accessKey, service, action, form }, res) => {
      const featureCall =
        action === "ListOrganizationsFeatures" ||
        /^(Enable|Disable)OrganizationsRoot(CredentialsManagement|Sessions)$/.test(action);
      if (service === "iam" && featureCall) return handleIamFeatures(action, accessKey, res);
      if (service === "organizations" && /^(Enable|Disable)AWSServiceAccess$/.test(action)) {
        const principal = (JSON.parse(body.toString() || "{}") as { ServicePrincipal?: string })
          .ServicePrincipal;
        if (principal === "iam.amazonaws.com") {
          const org = await identity.organization(accessKey);
          if (!org)
            return sendAwsError(
              res,
              "json",
              404,
              "AWSOrganizationsNotInUseException",
              "Your account is not a member of an organization.",
            );
          if ((await identity.account(accessKey)) !== org.MasterAccountId)
            return sendAwsError(
              res,
              "json",
              403,
              "AccessDeniedException",
              "You don't have permissions to access this resource.",
            );
          const f = featuresOf(org.Id);
          if (action === "EnableAWSServiceAccess") f.trustedAccess ??= new Date().toISOString();
          else {
            f.trustedAccess = undefined;
            f.features.clear();
          }
          return sendJson(res, {});
        }
      }
      if (service === "organizations" && action === "ListAWSServiceAccessForOrganization") {
        const org = await identity.organization(accessKey);
        const enabled = org ? orgs.get(org.Id)?.trustedAccess : undefined;
        const up = await forwardBuffered(upstream, req, body);
        if (up.status !== 200 || !enabled) return sendBuffered(res, up);
        const parsed = JSON.parse(up.body.toString()) as { EnabledServicePrincipals?: unknown[] };
        parsed.EnabledServicePrincipals = [
          ...(parsed.EnabledServicePrincipals ?? []),
          { ServicePrincipal: "iam.amazonaws.com", DateEnabled: Date.parse(enabled) / 1000 },
        ];
        return sendBuffered(res, { ...up, body: Buffer.from(JSON.stringify(parsed)) });
      }
      // AWS lists the root user's virtual MFA device with the account's others (its user ARN is the
      // root's): the report tells a virtual root device from a hardware one that way.
      // https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListVirtualMFADevices.html
      if (
        service === "iam" &&
        action === "ListVirtualMFADevices" &&
        form.get("AssignmentStatus") !== "Unassigned"
      ) {
        const up = await forwardBuffered(upstream, req, body);
        const account = await identity.account(accessKey);
        if (up.status !== 200 || !seeded.has(account)) return sendBuffered(res, up);
        const members = stateOf(account)
          .mfaDevices.filter((d) => d.serial.includes(":mfa/"))
          .map(
            (d) =>
              `<member><SerialNumber>${d.serial}</SerialNumber><User><Path>/</Path><UserName>${account}</UserName><UserId>${account}</UserId><Arn>${d.serial.replace(/:mfa\/.*$/, ":root")}</Arn><CreateDate>${d.enableDate}</CreateDate></User><EnableDate>${d.enableDate}</EnableDate></member>`,
          )
          .join("");
        if (!members) return sendBuffered(res, up);
        const listed = up.body.toString();
        const text = listed.includes("<VirtualMFADevices/>")
          ? listed.replace("<VirtualMFADevices/>", `<VirtualMFADevices>${members}</VirtualMFADevices>`)
          : listed.replace("</VirtualMFADevices>", `${members}</VirtualMFADevices>`);
        return sendBuffered(res, { ...up, body: Buffer.from(text) });
      }
      if (service === "iam" && action === "GetAccountSummary") {
        const up = await forwardBuffered(upstream, req, body);
        const account = await identity.account(accessKey);
        if (up.status !== 200 || !seeded.has(account)) return sendBuffered(res, up);
        let text = up.body.toString();
        for (const [k, v] of summaryEntries(stateOf(account))) {
          const entry = new RegExp(`<entry>\\s*<key>${k}</key>\\s*<value>\\d+</value>\\s*</entry>`);
          const replacement = `<entry><key>${k}</key><value>${v}</value></entry>`;
          text = entry.test(text)
            ? text.replace(entry, replacement)
            : text.replace("</SummaryMap>", `${replacement}</SummaryMap>`);
        }
        return sendBuffered(res, { ...up, body: Buffer.from(text) });
      }
      return undefined;
    },
    control,
    credentials: (accountId) => accounts.get(accountId),
    reset: () => {
      accounts.clear();
      seeded.clear();
      sessions.clear();
      orgs.clear();
    },
  };
}

/** GetAccountSummary's root keys, as AWS computes them from the root user's credentials. */
function summaryEntries(s: RootCredentialState): Array<[string, number]> {
  return [
    ["AccountMFAEnabled", s.mfaDevices.some((d) => d.active) ? 1 : 0],
    ["AccountPasswordPresent", s.password ? 1 : 0],
    ["AccountAccessKeysPresent", s.accessKeys.length > 0 ? 1 : 0],
    ["AccountSigningCertificatesPresent", s.signingCertificates.length > 0 ? 1 : 0],
  ];
}

function token(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}
