import { AttachPolicyCommand, CreatePolicyCommand } from "@aws-sdk/client-organizations";
import { orgClient } from "@orgwarden/emulator";

/** Creates an SCP orgwarden did not make (a customer's, or a service's with its tags) in the emulator. */
export async function createScp(
  endpoint: string,
  name: string,
  statement: Record<string, unknown>,
  tags: Array<{ Key: string; Value: string }> = [],
): Promise<string> {
  const client = orgClient(endpoint);
  try {
    const out = await client.send(
      new CreatePolicyCommand({
        Name: name,
        Description: "not orgwarden's",
        Type: "SERVICE_CONTROL_POLICY",
        Content: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }),
        Tags: tags,
      }),
    );
    return out.Policy?.PolicySummary?.Id as string;
  } finally {
    client.destroy();
  }
}

/** Attaches an SCP to a root, OU or account in the emulator. */
export async function attachScp(endpoint: string, policyId: string, targetId: string): Promise<void> {
  const client = orgClient(endpoint);
  try {
    await client.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: targetId }));
  } finally {
    client.destroy();
  }
}
