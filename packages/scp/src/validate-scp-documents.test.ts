import { AccessAnalyzerClient, ValidatePolicyCommand } from "@aws-sdk/client-accessanalyzer";
import { ClientFactory } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { validateScpDocuments } from "./validate-scp-documents.js";

const aa = mockClient(AccessAnalyzerClient);
afterEach(() => aa.reset());
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "x" };
const factory = () => new ClientFactory({ region: "us-east-1", maxAttempts: 1 });

// https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ValidatePolicy.html
describe("validateScpDocuments", () => {
  it("sends each document as a SERVICE_CONTROL_POLICY and returns the findings", async () => {
    aa.on(ValidatePolicyCommand).resolves({
      findings: [
        {
          findingType: "ERROR",
          issueCode: "INVALID_ACTION",
          findingDetails: "The action cloudtrail:StopLoging does not exist.",
          learnMoreLink: "https://docs.aws.amazon.com/",
          locations: [],
        },
      ],
    });
    const out = await validateScpDocuments({
      documents: [{ name: "orgwarden-protect-audit", content: "{}" }],
      factory: factory(),
      credentials,
    });
    expect(aa.commandCalls(ValidatePolicyCommand)[0]?.args[0].input).toEqual({
      policyType: "SERVICE_CONTROL_POLICY",
      policyDocument: "{}",
    });
    expect(out).toEqual({
      ran: true,
      findings: [
        {
          policy: "orgwarden-protect-audit",
          findingType: "ERROR",
          issueCode: "INVALID_ACTION",
          details: "The action cloudtrail:StopLoging does not exist.",
        },
      ],
    });
  });

  it("skips, saying why, where Access Analyzer cannot be reached", async () => {
    aa.on(ValidatePolicyCommand).rejects(Object.assign(new Error("no"), { name: "AccessDeniedException" }));
    const out = await validateScpDocuments({
      documents: [{ name: "p", content: "{}" }],
      factory: factory(),
      credentials,
    });
    expect(out).toEqual({
      ran: false,
      findings: [],
      note: "IAM Access Analyzer could not validate the policies (AccessDeniedException): skipped",
    });
  });
});
