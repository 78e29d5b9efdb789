/**
 * What KRA Studio's page and its worker say to each other besides the Language Server Protocol:
 * the files the core does not read itself (kra.config.yaml, data) and the scorecard. Plain
 * method names and types, so that the page's bundle needs no JSON-RPC library.
 */
import type { DataProblem } from '@kra-lang/compiler/evaluate';
import type { StatusChange } from '@kra-lang/scorecard';

/** The workspace root the worker sees: every file is `${WORKSPACE_ROOT}/<path in the workspace>`. */
export const WORKSPACE_ROOT = 'file:///workspace';

/** Page → worker: kra.config.yaml's text, or null when the workspace has none. */
export const ConfigChanged = 'kra/configChanged';
export interface ConfigChangedParams {
    readonly uri: string;
    readonly text: string | null;
}

/** Page → worker: every data file (CSV or JSON, as `kra eval` takes them), by path in the workspace. */
export const DataChanged = 'kra/dataChanged';
export interface DataChangedParams {
    readonly files: ReadonlyArray<{ readonly name: string; readonly text: string }>;
}

/** Worker → page: the scorecard after a build, or why there is none. */
export const ScorecardUpdated = 'kra/scorecard';
export type ScorecardMessage =
    /** The workspace has errors: nothing was evaluated; the page keeps the last valid scorecard. */
    | { readonly state: 'invalid'; readonly errors: number }
    /** No data file is loaded. */
    | { readonly state: 'no-data' }
    /** The data does not parse or does not fit the workspace: nothing was evaluated. */
    | { readonly state: 'data-problems'; readonly problems: readonly DataProblem[] }
    | {
        readonly state: 'evaluated';
        /** The scorecard (@kra-lang/scorecard, the same as `kra report`), escaped HTML with inline SVG charts. */
        readonly html: string;
        /** Its style sheet. */
        readonly css: string;
        /** The period it shows. */
        readonly period: string;
        /** KPIs whose status changed since the last evaluation; null for the first one. */
        readonly changes: readonly StatusChangeView[] | null;
        /** Warnings about the data (errors stop the evaluation). */
        readonly problems: readonly DataProblem[];
        /** How long compiling, evaluating and rendering took in the worker, in milliseconds. */
        readonly milliseconds: number;
    }
    /** A bug: the evaluator threw. The message says what. */
    | { readonly state: 'failed'; readonly message: string };

/** A KPI's status change, with each status in words and its icon (RAG is never colour alone). */
export interface StatusChangeView extends StatusChange {
    readonly beforeText: string;
    readonly afterText: string;
}

/** Limits on what the Studio loads (docs/studio.md): a zip bomb or a huge upload is refused. */
export const LOAD_LIMITS = {
    /** Files in one workspace. */
    maxFiles: 2_000,
    /** Bytes of one file once unpacked. */
    maxFileBytes: 5 * 1024 * 1024,
    /** Bytes of all files together once unpacked. */
    maxTotalBytes: 50 * 1024 * 1024
} as const;
