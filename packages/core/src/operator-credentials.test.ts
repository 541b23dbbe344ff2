import { GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { ClientFactory } from "./client-factory.js";
import { resolveOperatorCredentials } from "./operator-credentials.js";

const sts = mockClient(STSClient);
afterEach(() => sts.reset());
const env = { ...process.env };
afterEach(() => {
  process.env = { ...env };
});

function setLongTermKeys() {
  process.env.AWS_ACCESS_KEY_ID = "AKIAOPERATOR";
  process.env.AWS_SECRET_ACCESS_KEY = "secret";
  delete process.env.AWS_PROFILE;
}

describe("resolveOperatorCredentials with an MFA device", () => {
  it("exchanges the long-term keys for an MFA session once, with the serial and the code", async () => {
    setLongTermKeys();
    sts.on(GetSessionTokenCommand).resolves({
      Credentials: {
        AccessKeyId: "ASIAMFA",
        SecretAccessKey: "s",
        SessionToken: "t",
        Expiration: new Date(Date.now() + 3_600_000),
      },
    });
    const provider = resolveOperatorCredentials({
      factory: new ClientFactory({ region: "us-east-1" }),
      mfaSerial: "arn:aws:iam::111111111111:mfa/operator",
      mfaCode: "123456",
    });
    expect((await provider()).accessKeyId).toBe("ASIAMFA");
    expect((await provider()).accessKeyId).toBe("ASIAMFA");
    const calls = sts.commandCalls(GetSessionTokenCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toMatchObject({
      SerialNumber: "arn:aws:iam::111111111111:mfa/operator",
      TokenCode: "123456",
    });
  });

  it("asks for the code when only the serial is given (the CLI prompts on a terminal)", async () => {
    setLongTermKeys();
    sts.on(GetSessionTokenCommand).resolves({
      Credentials: {
        AccessKeyId: "ASIAX",
        SecretAccessKey: "s",
        SessionToken: "t",
        Expiration: new Date(Date.now() + 60_000),
      },
    });
    const asked: string[] = [];
    const provider = resolveOperatorCredentials({
      factory: new ClientFactory({ region: "us-east-1" }),
      mfaSerial: "GAHT12345678",
      promptMfaCode: async (serial) => {
        asked.push(serial);
        return "654321";
      },
    });
    await provider();
    expect(asked).toEqual(["GAHT12345678"]);
  });

  it("without a code and without a terminal, says to pass --mfa-code", async () => {
    setLongTermKeys();
    const provider = resolveOperatorCredentials({
      factory: new ClientFactory({ region: "us-east-1" }),
      mfaSerial: "GAHT12345678",
    });
    await expect(provider()).rejects.toMatchObject({
      code: "INVALID_INPUT",
      hint: expect.stringContaining("--mfa-code"),
    });
  });

  it("a wrong code is a credentials error that says what to check", async () => {
    setLongTermKeys();
    sts.on(GetSessionTokenCommand).rejects(
      Object.assign(new Error("MultiFactorAuthentication failed with invalid MFA one time pass code."), {
        name: "AccessDenied",
        $metadata: {},
      }),
    );
    const provider = resolveOperatorCredentials({
      factory: new ClientFactory({ region: "us-east-1" }),
      mfaSerial: "GAHT12345678",
      mfaCode: "000000",
    });
    await expect(provider()).rejects.toMatchObject({
      code: "CREDENTIALS",
      hint: expect.stringContaining("fresh code"),
    });
  });
});
