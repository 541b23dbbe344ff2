/**
 * A worker thread that evaluates accounts for the report (worker-pool.ts starts it): its own SDK
 * clients, role assumptions and call counts, the same evaluation as the main thread's. Its log lines
 * go to the main thread's logger; it never writes to stdout or stderr itself.
 */
import { parentPort, workerData } from "node:worker_threads";
import {
  AccountClients,
  ApiCallCounter,
  ClientFactory,
  createLogger,
  describeAwsError,
  REFRESH_MARGIN_MS,
  RoleAssumer,
} from "@orgwarden/core";
import { RootSessions } from "@orgwarden/root";
import type { AwsCredentialIdentity } from "@smithy/types";
import { rootAccessReading } from "../checks/root-access.js";
import { accountEvaluator, forgettingEachAccount } from "../evaluate-account.js";
import { findingsToJson } from "../findings-json.js";
import {
  type EvaluationWorkerSetup,
  errorFromWire,
  errorToWire,
  type FromWorker,
  type ToWorker,
  type WireResult,
} from "./wire.js";

const port = parentPort;
if (!port) throw new Error("evaluation-worker.js runs as a worker thread");
const setup = workerData as EvaluationWorkerSetup;
const post = (message: FromWorker) => port.postMessage(message);

// Redacted as every orgwarden log line is, then written by the main thread's logger.
const logger = createLogger({
  level: setup.logLevel,
  destination: {
    write(line: string) {
      const { level, ...record } = JSON.parse(line) as Record<string, unknown>;
      post({ type: "log", level: Number(level), record });
    },
  },
});

// The operator's credentials come from the main thread, which refreshes them (profile, SSO, MFA).
let operator = setup.operatorCredentials;
let nextRequest = 0;
const waiting = new Map<number, (r: WireResult<AwsCredentialIdentity>) => void>();
const operatorCredentials = async (): Promise<AwsCredentialIdentity> => {
  if (!operator.expiration || operator.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS) return operator;
  const id = ++nextRequest;
  const answer = await new Promise<WireResult<AwsCredentialIdentity>>((resolve) => {
    waiting.set(id, resolve);
    post({ type: "credentials", id });
  });
  if (!answer.ok) throw errorFromWire(answer.error);
  operator = answer.value;
  return operator;
};

const counter = new ApiCallCounter();
// The report lends a waiting account's place to the next one (FanOut.lend): it hears of each wait.
counter.onWait((scope, ms) => post({ type: "wait", scope, ms }));
const factory = new ClientFactory({ ...setup.factory, callCounter: counter });
const assumer = new RoleAssumer({
  factory,
  operatorCredentials,
  managementAccountId: setup.assumer.managementAccountId,
  operatorAccountId: setup.assumer.operatorAccountId,
  roleName: setup.assumer.roleName,
  externalId: setup.assumer.externalId,
  sessionName: setup.assumer.sessionName,
  partition: setup.assumer.partition,
  logger,
});
const root = setup.rootAccess;
const deps = {
  clients: new AccountClients(factory, assumer),
  logger,
  organizationTrails: async () => setup.organizationTrails,
  ...(root
    ? {
        rootAccess: rootAccessReading({
          sessions: new RootSessions({
            factory,
            operatorCredentials,
            managementAccountId: setup.assumer.managementAccountId,
            partition: setup.assumer.partition,
            logger,
          }),
          readFeatures: async () => {
            if (!root.features.ok) throw errorFromWire(root.features.error);
            return root.features.value;
          },
          audit: root.audits,
        }),
      }
    : {}),
};
// The main thread makes the rows: this thread never acts as an account again once it is evaluated.
const evaluate = forgettingEachAccount(accountEvaluator(setup.settings, deps), deps);

port.on("message", (message: ToWorker) => {
  switch (message.type) {
    case "evaluate":
      evaluate(message.account).then(
        (findings) =>
          post({ type: "result", id: message.id, result: { ok: true, value: findingsToJson(findings) } }),
        (err: unknown) =>
          post({
            type: "result",
            id: message.id,
            result: { ok: false, error: errorToWire(describeAwsError(err)) },
          }),
      );
      break;
    case "credentials":
      waiting.get(message.id)?.(message.result);
      waiting.delete(message.id);
      break;
    case "close":
      factory.destroy();
      post({ type: "closed", counts: counter.snapshot() });
      port.close();
      break;
  }
});
