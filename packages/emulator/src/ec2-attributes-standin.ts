import type { ServerResponse } from "node:http";
import {
  credentialScope,
  ec2Response,
  escapeXml,
  type StandInRequest,
  sendAnswer,
  sendAwsError,
} from "./wire-protocol.js";

/**
 * EC2's account attributes that the EC2 declarative policy sets, which moto 5.2.1 lacks: instance
 * metadata defaults, snapshot and image block public access, serial console access and VPC Block
 * Public Access, per account and region, with their Get/Describe calls and the account's own
 * Modify/Enable/Disable calls, in the API reference's shapes. Every account starts as an account that
 * never changed them (no IMDS defaults, sharing unblocked, serial console disabled, VPC BPA off).
 *
 * A read answers what the declarative policy on the account's path sets (`effective`) with
 * ManagedBy `declarative-policy`, and the account's own setting with ManagedBy `account` otherwise.
 * The account's own setting is kept under the policy (it is what comes back when the policy goes);
 * AWS refuses the account's writes to an attribute the policy holds, with an error code its pages do
 * not give, so the emulator stores them instead.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetInstanceMetadataDefaults.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetSnapshotBlockPublicAccessState.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetImageBlockPublicAccessState.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetSerialConsoleAccessStatus.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcBlockPublicAccessOptions.html
 */
export interface Ec2AttributesStandIn {
  handle(r: StandInRequest, res: ServerResponse, callerAccount: () => Promise<string>): Promise<boolean>;
  reset(): void;
}

interface AccountAttributes {
  imds: Partial<
    Record<
      | "HttpTokens"
      | "HttpPutResponseHopLimit"
      | "HttpEndpoint"
      | "InstanceMetadataTags"
      | "HttpTokensEnforced",
      string
    >
  >;
  snapshot: string;
  image: string;
  serialConsole: boolean;
  vpcMode: string;
  vpcExclusions: string;
}

/** What the policy's ec2_attributes say, already merged along the account's path. */
type Ec2Attributes = Record<string, Record<string, unknown> | undefined>;

const NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
const IMDS_FIELDS = {
  HttpTokens: { policy: "http_tokens", values: ["required", "optional"] },
  HttpPutResponseHopLimit: { policy: "http_put_response_hop_limit", values: undefined },
  HttpEndpoint: { policy: "http_endpoint", values: ["enabled", "disabled"] },
  InstanceMetadataTags: { policy: "instance_metadata_tags", values: ["enabled", "disabled"] },
  HttpTokensEnforced: { policy: undefined, values: ["enabled", "disabled"] },
} as const;

export function ec2AttributesStandIn(
  effective: (accountId: string) => Promise<Ec2Attributes | undefined>,
): Ec2AttributesStandIn {
  const state = new Map<string, AccountAttributes>();
  const attributesOf = (account: string, region: string) => {
    const key = `${account} ${region}`;
    let a = state.get(key);
    if (!a) {
      a = {
        imds: {},
        snapshot: "unblocked",
        image: "unblocked",
        serialConsole: false,
        vpcMode: "off",
        vpcExclusions: "allowed",
      };
      state.set(key, a);
    }
    return a;
  };

  type Handler = (
    r: StandInRequest,
    a: AccountAttributes,
    policy: () => Promise<Ec2Attributes>,
    where: { account: string; region: string },
  ) => Promise<string | { error: string }>;
  const handlers: Record<string, Handler> = {
    GetInstanceMetadataDefaults: async (_r, a, policy) => {
      const p = await policy();
      const set = p.instance_metadata_defaults;
      const fields: Record<string, string> = {};
      if (set) {
        for (const [field, { policy: key }] of Object.entries(IMDS_FIELDS)) {
          const value = key ? set[key] : undefined;
          if (typeof value === "string" && value !== "no_preference" && value !== "-1") fields[field] = value;
        }
        const message = p.exception_message;
        if (typeof message === "string") fields.ManagedExceptionMessage = message;
      } else Object.assign(fields, a.imds);
      fields.ManagedBy = set ? "declarative-policy" : "account";
      return `<accountLevel>${xml(fields)}</accountLevel>`;
    },
    ModifyInstanceMetadataDefaults: async (r, a) => {
      for (const [field, { values }] of Object.entries(IMDS_FIELDS)) {
        const given = r.form.get(field);
        if (given === null) continue;
        if (given === "no-preference" || given === "-1") delete a.imds[field as keyof typeof a.imds];
        else if (values ? (values as readonly string[]).includes(given) : /^\d{1,2}$/.test(given))
          a.imds[field as keyof typeof a.imds] = given;
        else return { error: `${given} is not a valid value for ${field}` };
      }
      return "<return>true</return>";
    },
    GetSnapshotBlockPublicAccessState: async (_r, a, policy) => {
      const held = hyphens((await policy()).snapshot_block_public_access?.state);
      return xml({ state: held ?? a.snapshot, managedBy: held ? "declarative-policy" : "account" });
    },
    EnableSnapshotBlockPublicAccess: async (r, a) => {
      const wanted = r.form.get("State") ?? "";
      if (!["block-all-sharing", "block-new-sharing"].includes(wanted))
        return { error: `${wanted} is not a valid value for State` };
      a.snapshot = wanted;
      return xml({ state: wanted });
    },
    DisableSnapshotBlockPublicAccess: async (_r, a) => {
      a.snapshot = "unblocked";
      return xml({ state: "unblocked" });
    },
    GetImageBlockPublicAccessState: async (_r, a, policy) => {
      const held = hyphens((await policy()).image_block_public_access?.state);
      return xml({
        imageBlockPublicAccessState: held ?? a.image,
        managedBy: held ? "declarative-policy" : "account",
      });
    },
    EnableImageBlockPublicAccess: async (r, a) => {
      const wanted = r.form.get("ImageBlockPublicAccessState") ?? "";
      if (wanted !== "block-new-sharing")
        return { error: `${wanted} is not a valid value for ImageBlockPublicAccessState` };
      a.image = wanted;
      return xml({ imageBlockPublicAccessState: wanted });
    },
    DisableImageBlockPublicAccess: async (_r, a) => {
      a.image = "unblocked";
      return xml({ imageBlockPublicAccessState: "unblocked" });
    },
    GetSerialConsoleAccessStatus: async (_r, a, policy) => {
      const held = (await policy()).serial_console_access?.status;
      const enabled = typeof held === "string" ? held === "enabled" : a.serialConsole;
      return xml({
        serialConsoleAccessEnabled: String(enabled),
        managedBy: typeof held === "string" ? "declarative-policy" : "account",
      });
    },
    EnableSerialConsoleAccess: async (_r, a) => {
      a.serialConsole = true;
      return xml({ serialConsoleAccessEnabled: "true" });
    },
    DisableSerialConsoleAccess: async (_r, a) => {
      a.serialConsole = false;
      return xml({ serialConsoleAccessEnabled: "false" });
    },
    DescribeVpcBlockPublicAccessOptions: async (_r, a, policy, where) =>
      vpcOptions(a, (await policy()).vpc_block_public_access, where),
    ModifyVpcBlockPublicAccessOptions: async (r, a, policy, where) => {
      const wanted = r.form.get("InternetGatewayBlockMode") ?? "";
      if (!["off", "block-bidirectional", "block-ingress"].includes(wanted))
        return { error: `${wanted} is not a valid value for InternetGatewayBlockMode` };
      a.vpcMode = wanted;
      return vpcOptions(a, (await policy()).vpc_block_public_access, where);
    },
  };

  return {
    handle: async (r, res, callerAccount) => {
      const handler = handlers[r.action];
      if (!handler) return false;
      const account = await callerAccount();
      const region = credentialScope(r.req).region || "us-east-1";
      let held: Promise<Ec2Attributes> | undefined;
      const policy = () => {
        held ??= effective(account).then((p) => p ?? {});
        return held;
      };
      const out = await handler(r, attributesOf(account, region), policy, { account, region });
      if (typeof out !== "string") sendAwsError(res, "ec2-query", 400, "InvalidParameterValue", out.error);
      else sendAnswer(res, "ec2-query", ec2Response(NS, r.action, out));
      return true;
    },
    reset: () => state.clear(),
  };
}

function vpcOptions(
  a: AccountAttributes,
  held: Record<string, unknown> | undefined,
  { account, region }: { account: string; region: string },
): string {
  const block = held?.internet_gateway_block as Record<string, unknown> | undefined;
  const mode = hyphens(block?.mode);
  const exclusions = block?.exclusions_allowed;
  return `<vpcBlockPublicAccessOptions>${xml({
    awsAccountId: account,
    awsRegion: region,
    state: mode || a.vpcMode !== "off" ? "update-complete" : "default-state",
    internetGatewayBlockMode: mode ?? a.vpcMode,
    managedBy: mode ? "declarative-policy" : "account",
    exclusionsAllowed: mode ? (exclusions === "enabled" ? "allowed" : "not-allowed") : a.vpcExclusions,
  })}</vpcBlockPublicAccessOptions>`;
}

/** A policy value as EC2 reports it: block_new_sharing → block-new-sharing. */
function hyphens(value: unknown): string | undefined {
  return typeof value === "string" ? value.replace(/_/g, "-") : undefined;
}

/** Elements named in EC2's lower-camel XML (HttpTokens → httpTokens), in the given order. */
function xml(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => {
      const name = k.charAt(0).toLowerCase() + k.slice(1);
      return `<${name}>${escapeXml(v)}</${name}>`;
    })
    .join("");
}
