export { formatCsv, neutraliseCell } from "./format-csv.js";
