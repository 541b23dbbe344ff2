export { type ActionCatalogue, actionCatalogueOf, readShippedActionCatalogue } from "./action-catalogue.js";
export { ActionMap, type ActionMapping, mapAction } from "./action-map.js";
export { CallAggregator } from "./aggregate.js";
export * from "./call-tuple.js";
export { parseDenial } from "./denial-message.js";
export * from "./observed-call.js";
export { parseRecord } from "./parse-record.js";
export * from "./sources/index.js";
