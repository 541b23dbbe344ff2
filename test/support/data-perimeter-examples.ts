/**
 * AWS's data-perimeter example policies (aws-samples/data-perimeter-policy-examples:
 * service_control_policies/ and resource_control_policies/), written here with the placeholders
 * filled and the long lists of service-owned resources and actions cut to what matters for
 * orgwarden: the statements, operators and condition keys are the examples' own. They are foreign
 * policies for the lockout guard: a well-run organization attaches them at the root, and the
 * guard must neither refuse every plan under them nor miss the one that really denies orgwarden.
 * https://docs.aws.amazon.com/whitepapers/latest/building-a-data-perimeter-on-aws/perimeter-implementation.html
 */

export interface PerimeterValues {
  orgId: string;
  corporateCidr: string;
  vpc: string;
}

type Doc = { Version: "2012-10-17"; Statement: Array<Record<string, unknown>> };

/** resource_perimeter_scp.json: only the organization's (and AWS-owned) resources. */
export function resourcePerimeterScp(v: PerimeterValues): Doc {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EnforceResourcePerimeterAWSResources",
        Effect: "Deny",
        Action: "*",
        NotResource: [
          "arn:aws:iam::aws:policy/*",
          "arn:aws:ssm:*::document/*",
          "arn:aws:ssm:*::parameter/*",
          "arn:aws:ec2:*:aws:prefix-list/*",
          "arn:aws:cloudformation:*:aws:transform/*",
          "arn:aws:s3:::athena-examples-us-east-1/*",
          "arn:aws:s3:::partner-exchange-bucket/*",
        ],
        Condition: {
          StringNotEqualsIfExists: {
            "aws:ResourceOrgID": v.orgId,
            "ec2:Owner": "amazon",
            "aws:PrincipalTag/dp:exclude:resource": "true",
          },
        },
      },
      {
        Sid: "EnforceResourcePerimeterThirdPartyResources",
        Effect: "Deny",
        Action: "*",
        Resource: ["arn:aws:s3:::partner-exchange-bucket/*"],
        Condition: {
          StringNotEqualsIfExists: {
            "aws:PrincipalTag/dp:exclude:resource": "true",
            "aws:ResourceAccount": ["111111111111", "222222222222"],
          },
        },
      },
    ],
  };
}

/** network_perimeter_sourcevpc_scp.json: principals tagged dp:include:network from expected networks only. */
export function networkPerimeterSourceVpcScp(v: PerimeterValues): Doc {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EnforceNetworkPerimeterSourceVPC",
        Effect: "Deny",
        NotAction: [
          "es:ES*",
          "dax:GetItem",
          "dax:Query",
          "neptune-db:*",
          "kafka-cluster:*",
          "elasticfilesystem:client*",
          "rds-db:connect",
          "s3-outposts:*",
        ],
        Resource: "*",
        Condition: {
          BoolIfExists: { "aws:ViaAWSService": "false" },
          NotIpAddressIfExists: { "aws:SourceIp": [v.corporateCidr] },
          StringNotEqualsIfExists: {
            "aws:PrincipalTag/dp:exclude:network": "true",
            "aws:SourceVpc": [v.vpc],
          },
          ArnNotLikeIfExists: { "aws:PrincipalArn": ["arn:aws:iam::*:role/aws:ec2-infrastructure"] },
          StringEquals: { "aws:PrincipalTag/dp:include:network": "true" },
        },
      },
      {
        Sid: "SourceVPCRegion",
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: {
          StringEquals: { "aws:SourceVpc": v.vpc },
          StringNotEqualsIfExists: { "aws:RequestedRegion": "us-east-1" },
        },
      },
    ],
  };
}

/** data_perimeter_governance_scp.json: the statements that could touch orgwarden's calls. */
export function dataPerimeterGovernanceScp(): Doc {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "PreventExternalResourceShare",
        Effect: "Deny",
        Action: ["ec2:ModifyImageAttribute", "ec2:ModifySnapshotAttribute", "ssm:ModifyDocumentPermission"],
        Resource: "*",
        Condition: { StringNotEqualsIfExists: { "aws:PrincipalTag/dp:exclude:identity": "true" } },
      },
      {
        Sid: "ProtectActionsNotSupportedByPrimaryDPControls",
        Effect: "Deny",
        Action: [
          "ec2:CreateVpcPeeringConnection",
          "ec2:CopySnapshot",
          "guardduty:AcceptAdministratorInvitation",
          "securityhub:AcceptAdministratorInvitation",
        ],
        Resource: "*",
        Condition: { StringNotEqualsIfExists: { "aws:PrincipalTag/dp:exclude:resource": "true" } },
      },
      {
        Sid: "ProtectDataPerimeterTags",
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: {
          StringNotEqualsIfExists: { "aws:PrincipalTag/team": "admin" },
          "ForAnyValue:StringLike": { "aws:TagKeys": ["dp:*", "team"] },
        },
      },
    ],
  };
}

/**
 * identity_perimeter_rcp.json and network_perimeter_vpceorgid_rcp.json, without their
 * `"Principal": "*"` (an RCP applies to every principal): as statements they judge the same
 * requests an SCP would see.
 */
export function perimeterRcps(v: PerimeterValues): Array<{ name: string; document: Doc }> {
  return [
    {
      name: "identity-perimeter-rcp",
      document: {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "EnforceOrgIdentities",
            Effect: "Deny",
            Action: ["s3:*", "sts:AssumeRole", "kms:*", "secretsmanager:*", "sqs:*"],
            Resource: "*",
            Condition: {
              StringNotEqualsIfExists: {
                "aws:PrincipalOrgID": v.orgId,
                "aws:PrincipalAccount": ["111111111111"],
                "aws:ResourceTag/dp:exclude:identity": "true",
              },
              BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
            },
          },
          {
            Sid: "EnforceConfusedDeputyProtection",
            Effect: "Deny",
            Action: ["s3:*", "sts:*", "kms:*", "sqs:*"],
            Resource: "*",
            Condition: {
              StringNotEqualsIfExists: {
                "aws:SourceOrgID": v.orgId,
                "aws:ResourceTag/dp:exclude:identity": "true",
              },
              Null: { "aws:SourceAccount": "false" },
              Bool: { "aws:PrincipalIsAWSService": "true" },
            },
          },
        ],
      },
    },
    {
      name: "network-perimeter-vpceorgid-rcp",
      document: {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "EnforceNetworkPerimeterVpceOrgID",
            Effect: "Deny",
            Action: ["ecr:*", "kms:*", "s3:*", "sqs:*"],
            Resource: "*",
            Condition: {
              NotIpAddressIfExists: { "aws:SourceIp": v.corporateCidr },
              StringNotEqualsIfExists: {
                "aws:VpceOrgID": v.orgId,
                "aws:PrincipalTag/dp:exclude:network": "true",
                "aws:ResourceTag/dp:exclude:network": "true",
              },
              BoolIfExists: { "aws:PrincipalIsAWSService": "false", "aws:ViaAWSService": "false" },
              ArnNotLikeIfExists: { "aws:PrincipalArn": ["arn:aws:iam::*:role/aws:ec2-infrastructure"] },
              StringEquals: { "aws:PrincipalTag/dp:include:network": "true" },
            },
          },
        ],
      },
    },
  ];
}
