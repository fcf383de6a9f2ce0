// Preloaded by bun test (bunfig.toml). bunfig's `timeout` is ignored by bun, so the
// default is set here; `./dev test` also passes --timeout.
import { afterAll, setDefaultTimeout } from "bun:test";
import { stopTestServer } from "./helpers/dev-server.js";

setDefaultTimeout(60_000);

// One dev server per test run, started on first use by any test file and stopped here
// after the last one, so no server process outlives the run.
afterAll(async () => {
  await stopTestServer();
});
