#!/usr/bin/env bun
/** The start-worker CLI; see src/worker/cli.ts (or run with --help). */
import { main } from "../src/worker/cli.js";

process.exit(await main(process.argv.slice(2)));
