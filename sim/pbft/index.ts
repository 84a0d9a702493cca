export * from "./messages.ts";
export * from "./replica.ts";
export * from "./run.ts";
