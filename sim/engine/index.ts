export * from "./chatter.ts";
export * from "./eventQueue.ts";
export * from "./network.ts";
export type * from "./protocol.ts";
export * from "./random.ts";
export * from "./simulation.ts";
export * from "./trace.ts";
