#!/bin/sh
# Fetch orgwarden.yaml from S3, run the scheduled job, keep the reports in S3 (even when the job
# exits 3 or 4: an incomplete or non-compliant report is still the report), exit with its code.
set -u
aws s3 cp "$ORGWARDEN_CONFIG_S3_URI" /tmp/orgwarden.yaml --only-show-errors || exit 1
node /opt/orgwarden/packages/cli/dist/bin.js run --config /tmp/orgwarden.yaml
code=$?
if [ -d /tmp/orgwarden-reports ]; then
  aws s3 cp /tmp/orgwarden-reports "s3://$ORGWARDEN_REPORT_BUCKET/reports/" --recursive --only-show-errors
fi
exit "$code"
