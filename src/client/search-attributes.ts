/** Typed search attributes live in src/common (as in @temporalio/common); the client re-exports them. */
export * from "../common/search-attributes.js";
