export * from "./call-tuple.js";
export * from "./observed-call.js";
export * from "./sources/index.js";
