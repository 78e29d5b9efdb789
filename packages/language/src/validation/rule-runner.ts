import {
    Cancellation, interruptAndCheck, isOperationCancelled,
    type AstNode, type LangiumDocument, type ValidationAcceptor, type ValidationCategory
} from 'langium';
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

    /** Runs the rules of the given categories (all when undefined) that are not off for the document. */
    async run(
        document: LangiumDocument, categories: readonly ValidationCategory[] | undefined, accept: ValidationAcceptor,
        cancelToken: Cancellation.CancellationToken
    ): Promise<void> {
        const contexts = this.contexts(document, categories, accept);
        const cancellable = cancelToken !== Cancellation.CancellationToken.None;
        // A declaration the parser could not name (`kpi target "…"`: a reserved word) is not
        // checked, nor is anything in it: the syntax error says what to fix, and rules would
        // only add findings about a nameless declaration.
        const unnamed = new Set<AstNode>();
        for (const node of documentNodes(document)) {
            if (cancellable) {
                await interruptAndCheck(cancelToken);
            }
            if ((node.$container && unnamed.has(node.$container)) || (this.namedTypes.has(node.$type) && !(node as { name?: unknown }).name)) {
                unnamed.add(node);
                continue;
            }
            const checks = this.checksByType.get(node.$type);
            if (!checks) {
                continue;
            }
            for (const { rule, check } of checks) {
                const context = contexts.get(rule);
                if (context) {
                    runCheck(check, node, context, accept);
                }
            }
        }
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
