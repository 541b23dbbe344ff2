#!/usr/bin/env node
// The command in a checkout. A committed file (not dist/bin.js) so that pnpm can link it on the
// first install, before `prepare` has built dist/.
import "../dist/bin.js";
