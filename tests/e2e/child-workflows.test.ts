/**
 * Child workflows and external workflow handles end to end with our workers (the suite is in
 * child-workflows.suite.ts; tests/compat/child-workflows-official.test.ts runs it on the
 * official SDK's workers).
 */
import { childWorkflowSuite } from "./child-workflows.suite.js";
import { startWorker } from "./helpers.js";

childWorkflowSuite(() => Promise.all([startWorker("child-workflows.ts"), startWorker("child-workflows.ts")]));
