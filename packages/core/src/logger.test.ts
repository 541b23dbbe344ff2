import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";

describe("createLogger", () => {
  it("writes JSON lines and never a secret key, session token or MFA code", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const logger = createLogger({ level: "info", destination: sink });
    logger.info(
      {
        credentials: { accessKeyId: "AKIA", secretAccessKey: "SECRET1", sessionToken: "TOKEN1" },
        out: { Credentials: { SecretAccessKey: "SECRET2", SessionToken: "TOKEN2" } },
        input: { TokenCode: "123456" },
        accountId: "222222222222",
      },
      "assumed",
    );
    const text = lines.join("");
    expect(JSON.parse(text)).toMatchObject({ msg: "assumed", accountId: "222222222222" });
    for (const secret of ["SECRET1", "TOKEN1", "SECRET2", "TOKEN2", "123456"])
      expect(text).not.toContain(secret);
  });
});
