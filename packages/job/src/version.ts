/** orgwarden's version: --version, and the product version of OCSF events. */
export const VERSION = "0.1.0";
