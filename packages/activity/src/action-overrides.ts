/**
 * Reviewed exceptions to "the IAM action is `prefix:eventName`": calls whose CloudTrail eventName is
 * not the name of the action AWS authorizes. Keyed `prefix:eventName` (the prefix after
 * service-prefix.ts). Every entry names the action, why, and the AWS page that says so;
 * action-map.test.ts checks every target against the catalogue of IAM actions, so a data update that
 * renames one fails there.
 *
 * Lambda's and CloudFront's dated event names (`CreateFunction20150331`, `UpdateDistribution2020_05_31`)
 * need no entry here: action-map.ts drops the date and looks the rest up.
 */

export interface ActionOverride {
  action: string;
  reason: string;
  source: string;
}

const S3_PERMISSIONS =
  "https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html";

const s3 = (action: string, reason: string): ActionOverride => ({
  action: `s3:${action}`,
  reason,
  source: S3_PERMISSIONS,
});

export const ACTION_OVERRIDES: ReadonlyMap<string, ActionOverride> = new Map(
  Object.entries({
    "s3:ListObjects": s3("ListBucket", "listing a bucket's objects is authorized as s3:ListBucket"),
    "s3:ListObjectsV2": s3("ListBucket", "listing a bucket's objects is authorized as s3:ListBucket"),
    "s3:ListObjectVersions": s3("ListBucketVersions", "listing object versions is s3:ListBucketVersions"),
    "s3:HeadObject": s3("GetObject", "HEAD on an object needs s3:GetObject"),
    "s3:HeadBucket": s3("ListBucket", "HEAD on a bucket needs s3:ListBucket"),
    "s3:ListBuckets": s3("ListAllMyBuckets", "listing the account's buckets is s3:ListAllMyBuckets"),
    "s3:CreateMultipartUpload": s3("PutObject", "a multipart upload is authorized as s3:PutObject"),
    "s3:UploadPart": s3("PutObject", "a multipart upload is authorized as s3:PutObject"),
    "s3:UploadPartCopy": s3("PutObject", "a part copied into an upload is s3:PutObject on the target"),
    "s3:CompleteMultipartUpload": s3("PutObject", "a multipart upload is authorized as s3:PutObject"),
    "s3:CopyObject": s3("PutObject", "a copy is s3:PutObject on the target (and s3:GetObject on the source)"),
    "s3:DeleteObjects": s3("DeleteObject", "a batch delete is s3:DeleteObject per key"),
    "s3:ListParts": s3(
      "ListMultipartUploadParts",
      "listing an upload's parts is s3:ListMultipartUploadParts",
    ),
    "s3:ListMultipartUploads": s3(
      "ListBucketMultipartUploads",
      "listing a bucket's uploads is s3:ListBucketMultipartUploads",
    ),
    "s3:SelectObjectContent": s3("GetObject", "S3 Select reads the object: s3:GetObject"),
    "s3:GetBucketLifecycleConfiguration": s3("GetLifecycleConfiguration", "the lifecycle's read action"),
    "s3:PutBucketLifecycleConfiguration": s3("PutLifecycleConfiguration", "the lifecycle's write action"),
    "s3:DeleteBucketLifecycle": s3("PutLifecycleConfiguration", "deleting the lifecycle is a write of it"),
    "s3:GetBucketEncryption": s3("GetEncryptionConfiguration", "default encryption's read action"),
    "s3:PutBucketEncryption": s3("PutEncryptionConfiguration", "default encryption's write action"),
    "s3:DeleteBucketEncryption": s3("PutEncryptionConfiguration", "deleting default encryption is a write"),
    "s3:DeleteBucketCors": s3("PutBucketCORS", "deleting the CORS configuration is a write of it"),
    "s3:GetBucketReplication": s3("GetReplicationConfiguration", "replication's read action"),
    "s3:PutBucketReplication": s3("PutReplicationConfiguration", "replication's write action"),
    "s3:DeleteBucketReplication": s3("PutReplicationConfiguration", "deleting replication is a write of it"),
    "s3:DeleteBucketTagging": s3("PutBucketTagging", "deleting a bucket's tags is a write of them"),
    "s3:GetBucketNotificationConfiguration": s3("GetBucketNotification", "notifications' read action"),
    "s3:PutBucketNotificationConfiguration": s3("PutBucketNotification", "notifications' write action"),
    "s3:GetObjectLockConfiguration": s3("GetBucketObjectLockConfiguration", "Object Lock's bucket read"),
    "s3:PutObjectLockConfiguration": s3("PutBucketObjectLockConfiguration", "Object Lock's bucket write"),
    "s3:DeleteBucketOwnershipControls": s3(
      "PutBucketOwnershipControls",
      "deleting ownership controls is a write",
    ),
    "s3:GetPublicAccessBlock": s3("GetBucketPublicAccessBlock", "a bucket's Block Public Access read"),
    "s3:PutPublicAccessBlock": s3("PutBucketPublicAccessBlock", "a bucket's Block Public Access write"),
    "s3:DeletePublicAccessBlock": s3("PutBucketPublicAccessBlock", "deleting Block Public Access is a write"),
    "lambda:Invoke": {
      action: "lambda:InvokeFunction",
      reason: "the Invoke operation (a data event) is authorized as lambda:InvokeFunction",
      source: "https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html",
    },
    "kms:ReEncrypt": {
      action: "kms:ReEncryptFrom",
      reason:
        "ReEncrypt needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination; the caller's own key use is read as the first",
      source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html",
    },
  }),
);

/**
 * Calls AWS authorizes with no policy at all: no SCP can deny them, so they are counted
 * (`needs-no-permission`) and never evaluated.
 */
export const NEEDS_NO_PERMISSION: ReadonlyMap<string, { reason: string; source: string }> = new Map(
  Object.entries({
    "sts:GetCallerIdentity": {
      reason: "no permissions are required; an explicit deny of sts:GetCallerIdentity does not stop it",
      source: "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html",
    },
    "sts:GetSessionToken": {
      reason: "no permissions are required; policies cannot control this authentication operation",
      source:
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html",
    },
  }),
);
