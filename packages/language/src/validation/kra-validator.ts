import { AstUtils, type AstNode, type LangiumDocument, type ValidationAcceptor, type ValidationChecks } from 'langium';
import type { KraLangAstType } from '../generated/ast.js';
import type { KraServices } from '../kra-module.js';
import { RULES } from './rules/index.js';
import { ruleDocsUrl, type Rule, type RuleContext, type RuleSeverity } from './rule.js';

/** Registers every rule's checks with Langium's validation registry, in the rule's category. */
export function registerValidationChecks(services: KraServices): void {
    const registry = services.validation.ValidationRegistry;
    const settings = services.validation.RuleSettings;
    for (const rule of RULES) {
        const checks: Record<string, (node: AstNode, accept: ValidationAcceptor) => void> = {};
        for (const [type, check] of Object.entries(rule.checks)) {
            const run = check as (node: AstNode, context: RuleContext) => void;
            checks[type] = (node, accept) => {
                const document = AstUtils.getDocument(node);
                const setting = settings.setting(rule, document.uri);
                if (setting.severity !== 'off') {
                    run(node, createContext(rule, setting.severity, setting.options, document, accept, services));
                }
            };
        }
        registry.register(checks as ValidationChecks<KraLangAstType>, undefined, rule.category);
    }
}

function createContext(
    rule: Rule, severity: Exclude<RuleSeverity, 'off'>, options: Readonly<Record<string, unknown>>,
    document: LangiumDocument, accept: ValidationAcceptor, services: KraServices
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
