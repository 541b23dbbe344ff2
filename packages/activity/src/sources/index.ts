export * from "./event-source.js";
