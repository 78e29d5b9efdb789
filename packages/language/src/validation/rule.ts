import type { AstNode, LangiumDocument, ValidationCategory } from 'langium';
import type { DiagnosticRelatedInformation, DiagnosticTag, Range } from 'vscode-languageserver-types';
import type { KraLangAstType } from '../generated/ast.js';
import type { KraCoreServices } from '../kra-module.js';

export type RuleSeverity = 'error' | 'warning' | 'info' | 'off';

/** What a rule reports: the element, the field, and a message that says how to fix it. */
export interface RuleReport<N extends AstNode = AstNode> {
    node: N;
    /** The field the problem is about; the diagnostic is placed on it. */
    property?: string;
    index?: number;
    /** A keyword of `node` to place the diagnostic on, when there is no property. */
    keyword?: string;
    range?: Range;
    message: string;
    relatedInformation?: DiagnosticRelatedInformation[];
    tags?: DiagnosticTag[];
    /** Extra data for code actions. */
    data?: Record<string, unknown>;
}

export interface RuleContext {
    readonly document: LangiumDocument;
    readonly services: KraCoreServices;
    /** The rule's options for this document: configured values over defaults. */
    readonly options: Readonly<Record<string, unknown>>;
    report<N extends AstNode>(report: RuleReport<N>): void;
}

/** An option a rule accepts in kra.config.yaml; `default` is used when none is configured. */
export interface RuleOption {
    readonly type: 'number' | 'integer' | 'boolean' | 'string';
    readonly description: string;
    readonly default: number | boolean | string;
    readonly minimum?: number;
    readonly maximum?: number;
    /** When set, the organisation-wide `limits.<name>` of the config supplies this option. */
    readonly limit?: string;
}

export type RuleChecks = {
    [K in keyof KraLangAstType]?: (node: KraLangAstType[K], context: RuleContext) => void;
};

/**
 * What the tools around a rule need to know of it, kept on the rule (as ESLint keeps `meta`):
 * the document builder, the validator, the code actions and `kra check --fix` read these.
 */
export interface RuleFacts {
    /**
     * Whether a `kra-disable-…` comment may suppress its problems. Default true; false for the
     * problems a file cannot be read without fixing (syntax, unresolved names) and for the
     * suppression comments' own rules.
     */
    readonly suppressible?: boolean;
    /**
     * `workspace`: its findings in a document depend on other documents (an id declared twice
     * across files), so a document with one of them is linked and checked again when any
     * document changes. Default `document`. `slow` rules read the whole workspace anyway and are
     * checked again on every save.
     */
    readonly scope?: 'document' | 'workspace';
    /**
     * Its problems have quick fixes in the editor: `automatic` when `kra check --fix` may apply
     * one on its own (it only restores what the text evidently means), `suggestion` when a person
     * must choose (it changes meaning). Each such rule has a fixer in the code action provider.
     */
    readonly fix?: 'automatic' | 'suggestion';
    /**
     * Its findings on a node depend only on that node and what it contains, their containers'
     * own fields, and what their references lead to (and what that contains), never on other
     * nodes of the workspace found another way (siblings, the index, the file system). Then,
     * after an edit elsewhere in an open file, the editor reuses them instead of checking the
     * node again (validation/rule-runner.ts). Default false.
     */
    readonly local?: boolean;
}

export interface Rule extends RuleFacts {
    /** Stable id, `family/name`. Never reuse or rename one: configurations refer to it. */
    readonly id: string;
    /** One line: what the rule checks. */
    readonly summary: string;
    readonly severity: Exclude<RuleSeverity, 'off'>;
    /** `fast` checks run on every keystroke; `slow` ones (whole-workspace) on save and in the CLI. */
    readonly category: Extract<ValidationCategory, 'fast' | 'slow'>;
    readonly options?: Readonly<Record<string, RuleOption>>;
    readonly checks: RuleChecks;
}

/** Rules whose problems the parser and linker find; they have ids and docs like any other rule. */
export interface BuiltinRule extends RuleFacts {
    readonly id: string;
    readonly summary: string;
    readonly severity: 'error';
}

export const RULE_DOCS_BASE_URL = 'https://github.com/kra-lang/kra-lang/blob/main/docs/rules/';

export function ruleDocsUrl(id: string): string {
    return `${RULE_DOCS_BASE_URL}${id}.md`;
}

export function defineRule(rule: Rule): Rule {
    return rule;
}
