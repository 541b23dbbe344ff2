/**
 * Setup of the unit lane, whose workers run one test file after another in the same process
 * (isolate: false). aws-sdk-client-mock replaces an SDK client's `send` on its prototype with a
 * sinon stub of sinon's default sandbox; a file that does not restore it would leave the next file
 * a mocked client. After each file, every such stub is restored.
 */
import { createRequire } from "node:module";
import { afterAll } from "vitest";

const fromMock = createRequire(createRequire(import.meta.url).resolve("aws-sdk-client-mock"));
const sinon = fromMock("sinon") as { restore(): void };

afterAll(() => {
  sinon.restore();
});
