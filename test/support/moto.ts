export { freePort, type MotoServer, motoInstalled, startMoto } from "@orgwarden/cli/demo";
