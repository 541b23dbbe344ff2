#!/bin/sh
# The container's modes (its command; the schedule passes none, the sharded state machine the others):
#   (none)      the whole job: orgwarden run; the reports go to s3://$ORGWARDEN_REPORT_BUCKET/reports/
#   changes     orgwarden run --no-report: the changes (scp:, root:, rules:), made once
#   shard K N   orgwarden run --shard K/N: shard K's share of the report, as JSON, to
#               s3://$ORGWARDEN_REPORT_BUCKET/shards/$ORGWARDEN_RUN_ID/
#   merge N     the N shards from S3 → orgwarden report merge → CSV, JSON and HTML in reports/
# The reports are kept even when orgwarden exits 3 or 4 (an incomplete or non-compliant report is
# still the report); the exit code is orgwarden's.
set -u
bin="${ORGWARDEN_BIN:-/opt/orgwarden/packages/cli/dist/bin.js}"
# The config's report.outputDir.
out="${ORGWARDEN_REPORTS_DIR:-/tmp/orgwarden-reports}"
config="${ORGWARDEN_CONFIG_FILE:-/tmp/orgwarden.yaml}"
bucket="s3://$ORGWARDEN_REPORT_BUCKET"
aws s3 cp "$ORGWARDEN_CONFIG_S3_URI" "$config" --only-show-errors || exit 1
mode="${1:-job}"
case "$mode" in
  job)
    node "$bin" run --config "$config"
    code=$?
    ;;
  changes)
    node "$bin" run --config "$config" --no-report
    code=$?
    ;;
  shard)
    node "$bin" run --config "$config" --shard "$2/$3"
    code=$?
    shard="$out/shard-$2-of-$3.json"
    [ -f "$shard" ] || exit "$code"
    aws s3 cp "$shard" "$bucket/shards/$ORGWARDEN_RUN_ID/" --only-show-errors || exit 1
    # ERROR or NON_COMPLIANT rows (3, 4) are in the shard: the merged report exits with them.
    case "$code" in 3 | 4) code=0 ;; esac
    exit "$code"
    ;;
  merge)
    shards=$(mktemp -d)
    mkdir -p "$out"
    aws s3 cp "$bucket/shards/$ORGWARDEN_RUN_ID/" "$shards/" --recursive --only-show-errors || exit 1
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    code=0
    for ext in csv json html; do
      node "$bin" report merge "$shards"/shard-*-of-"$2".json --out "$out/orgwarden-report-$stamp.$ext"
      code=$?
      [ "$code" -le 4 ] && [ "$code" -ne 1 ] && [ "$code" -ne 2 ] || exit "$code"
      cp "$out/orgwarden-report-$stamp.$ext" "$out/latest.$ext"
    done
    ;;
  *)
    echo "orgwarden entrypoint: unknown mode $mode (job, changes, shard K N, merge N)" >&2
    exit 2
    ;;
esac
if [ -d "$out" ]; then
  aws s3 cp "$out" "$bucket/reports/" --recursive --only-show-errors || exit 1
fi
exit "$code"
