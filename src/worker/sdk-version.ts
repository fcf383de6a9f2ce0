/**
 * This package's version, read from package.json at build time by the import (not from the
 * file system at run time): a worker compiled with `temporal-bun-worker build` has no
 * package.json beside it, and its embedded workflow bundle is checked against this version.
 */
import pkg from "../../package.json" with { type: "json" };

export const SDK_VERSION: string = String(pkg.version);
