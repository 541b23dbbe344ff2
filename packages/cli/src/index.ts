export { ExitCode, exitCodeFor } from "@orgwarden/job";
export { HEAP_GROWING_PERCENT, limitHeapGrowth } from "./heap-growth.js";
export { type Io, processIo } from "./io.js";
export { buildProgram, type RunMainOptions, runMain } from "./main.js";
export { type PlanDocument, planDocumentSchema } from "./output/plan-document-schema.js";
