import type { ScpStep } from "@orgwarden/scp";

/** One plan step of the policy engine in a line: the plan a person reads, and the drift a detect entry reports. */
export function describeStep(step: ScpStep): string {
  switch (step.kind) {
    case "enable-policy-type":
      return step.policyType === "RESOURCE_CONTROL_POLICY"
        ? `+ enable the RESOURCE_CONTROL_POLICY type on the root ${step.rootId} (attaches RCPFullAWSAccess everywhere: no effect)`
        : step.policyType === "SERVICE_CONTROL_POLICY"
          ? `+ enable the SERVICE_CONTROL_POLICY type on the root ${step.rootId}`
          : `+ enable the ${step.policyType} type on the root ${step.rootId} (attaches nothing: no effect)`;
    case "create-policy":
      return `+ create ${step.policy.managedName} (tagged managed-by=orgwarden)`;
    case "update-policy":
      return `~ update ${step.policy.managedName} (${step.policyId}): its content drifted from the library`;
    case "attach-policy":
      return `+ attach ${step.policyName} to ${step.targetId}`;
    case "detach-policy":
      return `- detach ${step.policyName} (${step.policyId}) from ${step.targetId}`;
    case "tag-policy":
      return `~ tag ${step.policy.managedName} (${step.policyId}) with the parameters it is rendered with`;
    case "delete-policy":
      return `- delete ${step.policyName} (${step.policyId}): attached nowhere`;
    case "nothing-to-do":
      return `= ${step.policyName}: nothing to do (${step.reason})`;
  }
}
