#!/bin/sh
# The container's modes (its command; the schedule passes none, the sharded state machine the others):
#   (none)      the whole job: orgwarden run; the reports go to s3://$ORGWARDEN_REPORT_BUCKET/reports/
#   changes     orgwarden run --no-report: the changes (scp:, root:, rules:), made once
#   shard K N   orgwarden run --shard K/N: shard K's share of the report, as JSON, to
#               s3://$ORGWARDEN_REPORT_BUCKET/shards/$ORGWARDEN_RUN_ID/
#   merge N     the N shards from S3 → orgwarden report merge → CSV, JSON and HTML in reports/
# The reports are uploaded when orgwarden finished them: exit 0, 3 or 4 (an incomplete or
# non-compliant report is still the report). Any other exit (1 a failure such as a full disk, 2
# refused, 130/143 stopped) uploads nothing: the bucket keeps the last finished report rather than a
# cut one. orgwarden writes each file to a temporary name (*.orgwarden-tmp) and renames it when it is
# whole; those are never uploaded. The exit code is orgwarden's, or 1 when a report could not be
# uploaded (the task fails, and the alarm says so). SIGTERM and SIGINT (ECS stopping the task) are
# passed on to node, which says so and exits 143/130.
set -u
bin="${ORGWARDEN_BIN:-/opt/orgwarden/node_modules/orgwarden/dist/orgwarden.js}"
# The config's report.outputDir.
out="${ORGWARDEN_REPORTS_DIR:-/tmp/orgwarden-reports}"
config="${ORGWARDEN_CONFIG_FILE:-/tmp/orgwarden.yaml}"
bucket="s3://$ORGWARDEN_REPORT_BUCKET"
aws s3 cp "$ORGWARDEN_CONFIG_S3_URI" "$config" --only-show-errors || exit 1
mode="${1:-job}"

# Runs orgwarden as this script's child with the container's stop signals passed on, and sets $code
# to its exit code (a trapped signal interrupts `wait`, so wait again until node has exited).
orgwarden() {
  # ORGWARDEN_ROLE_NAME (the template's MemberRoleName) wins over the config's connection.roleName.
  node "$bin" ${ORGWARDEN_ROLE_NAME:+--role-name "$ORGWARDEN_ROLE_NAME"} "$@" &
  child=$!
  trap 'kill -TERM "$child" 2>/dev/null' TERM
  trap 'kill -INT "$child" 2>/dev/null' INT
  wait "$child"
  code=$?
  while kill -0 "$child" 2>/dev/null; do
    wait "$child"
    code=$?
  done
  trap - TERM INT
}

# The rollout: section's state (rollout.state's default: orgwarden-rollout.json in report.outputDir)
# lives in the bucket between runs. It is put back after every run that may have written it, whatever
# the exit code: a stage rolled back (6) or stopped (5) must stay so, and the file is always whole
# (written to a temporary name, then renamed). A run that finds none starts the rollout.
rollout_state="$out/orgwarden-rollout.json"
fetch_rollout_state() {
  mkdir -p "$out"
  aws s3 cp "$bucket/rollout/orgwarden-rollout.json" "$rollout_state" --only-show-errors 2>/dev/null || true
}
keep_rollout_state() {
  [ -f "$rollout_state" ] || return 0
  if ! aws s3 cp "$rollout_state" "$bucket/rollout/orgwarden-rollout.json" --only-show-errors; then
    echo "orgwarden entrypoint: the rollout state could not be uploaded to $bucket/rollout/ (orgwarden exited $code): failing the task" >&2
    exit 1
  fi
}

# Exit 0, 3 and 4 are the codes of a finished report; anything else means its files are not.
finished() {
  case "$code" in
    0 | 3 | 4) return 0 ;;
    *)
      echo "orgwarden entrypoint: orgwarden exited $code: its reports are not finished; nothing was uploaded" >&2
      return 1
      ;;
  esac
}

case "$mode" in
  job)
    # The last run's report: what changed since then goes into changes.json (and notify:).
    mkdir -p "$out"
    aws s3 cp "$bucket/reports/latest.json" "$out/latest.json" --only-show-errors 2>/dev/null ||
      echo "orgwarden entrypoint: no previous report in $bucket/reports/ (first run?)" >&2
    fetch_rollout_state
    orgwarden run --config "$config"
    keep_rollout_state
    ;;
  changes)
    fetch_rollout_state
    orgwarden run --config "$config" --no-report
    keep_rollout_state
    ;;
  shard)
    orgwarden run --config "$config" --shard "$2/$3"
    shard="$out/shard-$2-of-$3.json"
    finished || exit "$code"
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
      orgwarden report merge "$shards"/shard-*-of-"$2".json --out "$out/orgwarden-report-$stamp.$ext"
      finished || exit "$code"
      # latest.<ext> replaced whole (copy, then rename) or not at all.
      cp "$out/orgwarden-report-$stamp.$ext" "$out/.latest.$ext.orgwarden-tmp" &&
        mv "$out/.latest.$ext.orgwarden-tmp" "$out/latest.$ext" || exit 1
    done
    ;;
  *)
    echo "orgwarden entrypoint: unknown mode $mode (job, changes, shard K N, merge N)" >&2
    exit 2
    ;;
esac
finished || exit "$code"
# --exclude: a leftover temporary file of a killed process is never uploaded
# (https://docs.aws.amazon.com/cli/latest/reference/s3/, "Use of Exclude and Include Filters").
if [ -d "$out" ]; then
  if ! aws s3 cp "$out" "$bucket/reports/" --recursive --exclude "*.orgwarden-tmp" \
    --exclude "orgwarden-rollout.json*" --only-show-errors; then
    echo "orgwarden entrypoint: the reports could not be uploaded to $bucket/reports/ (orgwarden exited $code): failing the task" >&2
    exit 1
  fi
fi
exit "$code"
