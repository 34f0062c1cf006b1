// Types of common.mjs, for the TypeScript tests that use it.
export const HERE: string;
export const ROOT: string;
export const HARNESS: string;
export const RESULTS: string;
export const CLI: Record<"0.1.16" | "0.2.0-alpha.12", string>;
export function sleep(ms: number): Promise<void>;
export function ensureHarness(): Promise<void>;
export function node22(): string | undefined;
export function cli(suite: "0.1.16" | "0.2.0-alpha.12", args: string[]): string;
export function requirementSet(revision: string): { server: string[]; client: string[]; not_scored: { scenario: string; leg: string; reason: string }[] };
