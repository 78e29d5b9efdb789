import {
    Cancellation, interruptAndCheck, isOperationCancelled, isReference,
    type AstNode, type LangiumDocument, type Reference, type ValidationAcceptor, type ValidationCategory
} from 'langium';
import { isVariant } from '../generated/ast.js';
import type { KraCoreServices } from '../kra-module.js';
import { documentNodes } from '../model/ast-walk.js';
import { RULES } from './rules/index.js';
import { ruleDocsUrl, type Rule, type RuleContext, type RuleSeverity } from './rule.js';

type Check = (node: AstNode, context: RuleContext) => void;

/** One rule's check of one AST type. */
interface RuleCheck {
    readonly rule: Rule;
    readonly check: Check;
}

/** A report of a check, as it was given to Langium's acceptor. */
type Report = Parameters<ValidationAcceptor>;

/** A node whose local findings cannot be reused: a report placed by range, or on another node. */
const NOT_REUSABLE = 'not reusable';

/**
 * What the last run of the rules found in an open document, for the next run after an edit:
 * the nodes checked, the reports of `local` rules on each node (none when absent), and what
 * each reference led to.
 */
interface Findings {
    /** The rules, severities, options and categories of the run: another set starts afresh. */
    readonly key: string;
    readonly checked: WeakSet<AstNode>;
    readonly reports: WeakMap<AstNode, Map<Rule, Report[]> | typeof NOT_REUSABLE>;
    targets: Map<Reference, AstNode | undefined>;
    /** Whether a run completed with these settings. */
    ran: boolean;
}

/**
 * Runs every rule's checks over a document in one synchronous walk of its AST.
 *
 * Langium's validation registry would do the same per node through a stream of async wrappers,
 * and the checks looked up each rule's setting per node; on a large workspace that bookkeeping
 * cost more than the rules themselves. Here each AST type has its list of checks, built once,
 * and each rule's severity and options are resolved once per document. The order of the checks,
 * and so of the diagnostics, is the registry's: AST nodes in document order, and for each node
 * the rules in `RULES` order.
 */
export class RuleRunner {

    private readonly services: KraCoreServices;
    /** The checks of each concrete AST type, subtypes included, in rule order. */
    private readonly checksByType = new Map<string, RuleCheck[]>();
    /** The declarations: AST types that have a name. */
    private readonly namedTypes = new Set<string>();

    constructor(services: KraCoreServices) {
        this.services = services;
        const reflection = services.shared.AstReflection;
        for (const type of reflection.getAllTypes()) {
            if ('name' in reflection.getTypeMetaData(type).properties) {
                this.namedTypes.add(type);
            }
        }
        for (const rule of RULES) {
            for (const [type, check] of Object.entries(rule.checks)) {
                for (const subtype of reflection.getAllSubTypes(type)) {
                    let checks = this.checksByType.get(subtype);
                    if (!checks) {
                        checks = [];
                        this.checksByType.set(subtype, checks);
                    }
                    checks.push({ rule, check: check as Check });
                }
            }
        }
    }

    /** What the last run found in each open document (see `run`). */
    private readonly findings = new WeakMap<LangiumDocument, Findings>();

    /**
     * Runs the rules of the given categories (all when undefined) that are not off for the document.
     *
     * In a document open in the editor, the reports of `local` rules (see RuleFacts) on a node
     * are kept, and after an edit they are given again instead of checking the node, unless the
     * node must be checked again (`toCheck`): an incremental parse (parser/incremental-parse.ts)
     * keeps every AST node outside the declaration it parsed again, and Langium places a report
     * by its node, so a report given again lands where the node now is.
     */
    async run(
        document: LangiumDocument, categories: readonly ValidationCategory[] | undefined, accept: ValidationAcceptor,
        cancelToken: Cancellation.CancellationToken
    ): Promise<void> {
        // The rules report through `sink`, which records the reports of local rules.
        let sink = accept;
        const contexts = this.contexts(document, categories, (...report) => sink(...report));
        const nodes = documentNodes(document);
        const findings = this.findingsOf(document, contexts);
        // What the references lead to: validation does not change it, so it is read once.
        const targets = findings && referenceTargets(document);
        const toCheck = findings?.ran && targets ? nodesToCheck(nodes, targets, findings) : undefined;
        const cancellable = cancelToken !== Cancellation.CancellationToken.None;
        // A declaration the parser could not name (`kpi target "…"`: a reserved word) is not
        // checked, nor is anything in it: the syntax error says what to fix, and rules would
        // only add findings about a nameless declaration.
        const unnamed = new Set<AstNode>();
        for (const node of nodes) {
            if (cancellable) {
                try {
                    await interruptAndCheck(cancelToken);
                } catch (error) {
                    // What a cancelled run kept is of a state the next run cannot compare with.
                    this.findings.delete(document);
                    throw error;
                }
            }
            if ((node.$container && unnamed.has(node.$container)) || (this.namedTypes.has(node.$type) && !(node as { name?: unknown }).name)) {
                unnamed.add(node);
                continue;
            }
            const checks = this.checksByType.get(node.$type);
            if (!checks) {
                continue;
            }
            const kept = findings?.reports.get(node);
            const reuse = toCheck !== undefined && !toCheck.has(node) && kept !== NOT_REUSABLE;
            const recorded = new Map<Rule, Report[]>();
            let reusable = true;
            for (const { rule, check } of checks) {
                const context = contexts.get(rule);
                if (!context) {
                    continue;
                }
                if (!findings || !rule.local) {
                    runCheck(check, node, context, accept);
                } else if (reuse) {
                    const reports = (kept as Map<Rule, Report[]> | undefined)?.get(rule) ?? [];
                    reports.forEach(report => accept(...report));
                    if (reports.length > 0) {
                        recorded.set(rule, reports);
                    }
                } else {
                    const reports: Report[] = [];
                    sink = (...report) => {
                        reports.push(report);
                        reusable &&= placedOnNode(report, node);
                        accept(...report);
                    };
                    try {
                        runCheck(check, node, context, (...report) => sink(...report));
                    } finally {
                        sink = accept;
                    }
                    if (reports.length > 0) {
                        recorded.set(rule, reports);
                    }
                }
            }
            if (findings) {
                if (!reusable) {
                    findings.reports.set(node, NOT_REUSABLE);
                } else if (recorded.size > 0) {
                    findings.reports.set(node, recorded);
                } else {
                    findings.reports.delete(node);
                }
            }
        }
        if (findings) {
            nodes.forEach(node => findings.checked.add(node));
            findings.targets = targets ?? new Map();
            findings.ran = targets !== undefined;
        }
    }

    /**
     * The findings kept for the document when it is open in the editor (a new record when the
     * rules, their settings or the categories changed); undefined when it is not open, and
     * nothing is kept.
     */
    private findingsOf(document: LangiumDocument, contexts: ReadonlyMap<Rule, RuleContext>): Findings | undefined {
        if (!this.services.shared.workspace.TextDocuments?.get(document.uri.toString())) {
            this.findings.delete(document);
            return undefined;
        }
        const settings = this.services.validation.RuleSettings;
        const key = [...contexts.keys()].map(rule => {
            const setting = settings.setting(rule, document.uri);
            return `${rule.id} ${setting.severity} ${JSON.stringify(setting.options)}`;
        }).join('\n');
        let findings = this.findings.get(document);
        if (findings?.key !== key) {
            findings = { key, checked: new WeakSet(), reports: new WeakMap(), targets: new Map(), ran: false };
            this.findings.set(document, findings);
        }
        return findings;
    }

    /** The context of each rule that runs on the document. */
    private contexts(
        document: LangiumDocument, categories: readonly ValidationCategory[] | undefined, accept: ValidationAcceptor
    ): Map<Rule, RuleContext> {
        const settings = this.services.validation.RuleSettings;
        const contexts = new Map<Rule, RuleContext>();
        for (const rule of RULES) {
            if (categories && !categories.includes(rule.category)) {
                continue;
            }
            const setting = settings.setting(rule, document.uri);
            if (setting.severity !== 'off') {
                contexts.set(rule, createContext(rule, setting.severity, setting.options, document, accept, this.services));
            }
        }
        return contexts;
    }
}

/**
 * The nodes whose checks must run again, given what the last run saw: those that may find
 * something else than last time. They are the nodes that may have changed, with what holds
 * them (their checks read what they hold):
 * - a new node (parsed again);
 * - a node with a reference that leads elsewhere than last time, or to a node that may have
 *   changed (through references, checks read what they lead to);
 * - a variant of a KPI that may have changed (a variant's checks read its KPI).
 * Local rules never read what refers to a node (that takes the index), so the targets of
 * changed references need no new check for them.
 */
function nodesToCheck(nodes: readonly AstNode[], current: ReadonlyMap<Reference, AstNode | undefined>, findings: Findings): Set<AstNode> {
    const changed = new Set<AstNode>();
    const mark = (node: AstNode): boolean => {
        let added = false;
        for (let at: AstNode | undefined = node; at && !changed.has(at); at = at.$container) {
            changed.add(at);
            added = true;
        }
        return added;
    };
    for (const node of nodes) {
        if (!findings.checked.has(node)) {
            mark(node);
        }
    }
    for (const [reference, target] of current) {
        if (!findings.targets.has(reference) || findings.targets.get(reference) !== target) {
            mark(reference.$refNode!.astNode);
        }
    }
    for (let added = true; added;) {
        added = false;
        for (const [reference, target] of current) {
            if (target && changed.has(target)) {
                added = mark(reference.$refNode!.astNode) || added;
            }
        }
        for (const node of nodes) {
            if (isVariant(node) && changed.has(node.$container)) {
                added = mark(node) || added;
            }
        }
    }
    return changed;
}

/** What each reference of the document leads to; undefined when one cannot be followed back to its node. */
function referenceTargets(document: LangiumDocument): Map<Reference, AstNode | undefined> | undefined {
    const targets = new Map<Reference, AstNode | undefined>();
    for (const reference of document.references) {
        if (!isReference(reference) || !reference.$refNode) {
            return undefined;
        }
        targets.set(reference, reference.ref);
    }
    return targets;
}

/** Whether a report is placed by its node, and that node is `node` or inside it. */
function placedOnNode([, , info]: Report, node: AstNode): boolean {
    if (info.range || (info.relatedInformation?.length ?? 0) > 0) {
        return false;
    }
    for (let current: AstNode | undefined = info.node; current; current = current.$container) {
        if (current === node) {
            return true;
        }
    }
    return false;
}

/** A rule that throws reports the error on the node, as Langium's registry does, and the others still run. */
function runCheck(check: Check, node: AstNode, context: RuleContext, accept: ValidationAcceptor): void {
    try {
        check(node, context);
    } catch (error) {
        if (isOperationCancelled(error)) {
            throw error;
        }
        console.error('An error occurred during validation:', error);
        if (error instanceof Error && error.stack) {
            console.error(error.stack);
        }
        const details = error instanceof Error ? error.message : String(error);
        accept('error', `An error occurred during validation: ${details}`, { node });
    }
}

function createContext(
    rule: Rule, severity: Exclude<RuleSeverity, 'off'>, options: Readonly<Record<string, unknown>>,
    document: LangiumDocument, accept: ValidationAcceptor, services: KraCoreServices
): RuleContext {
    return {
        document,
        services,
        options,
        report(report) {
            accept(severity, report.message, {
                node: report.node,
                property: report.property as never,
                index: report.index,
                keyword: report.keyword,
                range: report.range,
                code: rule.id,
                codeDescription: { href: ruleDocsUrl(rule.id) },
                relatedInformation: report.relatedInformation,
                tags: report.tags,
                data: { ...report.data, rule: rule.id }
            });
        }
    };
}
