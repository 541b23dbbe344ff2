#!/usr/bin/env node
// The SDK warns that releases after January 2027 need Node 22; orgwarden supports Node 20 today
// and says so in the README, so the warning would only clutter every command's stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// A long report keeps its heap near what it holds (heap-growth.ts): set before anything is loaded.
const { limitHeapGrowth } = await import("./heap-growth.js");
limitHeapGrowth();
const { runMain } = await import("./main.js");
const { processIo, resultsStdout } = await import("./io.js");
const { ChangeProgress, reportInterruption } = await import("./interrupt.js");
const { describeWriteError } = await import("@orgwarden/job");

// Ctrl-C or a scheduler's stop: say so on stderr (with the change step in flight, if any) and in the
// log, then exit 128 + the signal number.
const changes = new ChangeProgress();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    reportInterruption(signal, changes);
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
}

// `orgwarden report | head`: the reader went away; stop quietly, as other command-line tools do.
// Any other failure to write the results (stdout redirected to a full disk or /dev/full) is a
// failure: one line saying so and exit 1, never a stack trace and never a 0 with half the output.
const stdout = resultsStdout();
for (const stream of new Set([process.stdout, stdout])) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
    process.stderr.write(`orgwarden: cannot write to standard output: ${describeWriteError(err)}\n`);
    process.exit(1);
  });
}

process.exitCode = await runMain(process.argv, { changes, io: processIo(stdout) });
