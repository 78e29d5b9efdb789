import {
    AstUtils, Cancellation, DefaultDocumentValidator, DocumentValidator,
    type AstNode, type LangiumDocument, type ParseResult, type ValidationAcceptor, type ValidationOptions
} from 'langium';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver-types';
import type { KraServices } from '../kra-module.js';
import { describe, fieldOf } from './describe.js';
import { BUILTIN_RULES, RULES, SUPPRESSION_RULES } from './rules/index.js';
import { findSuppressions, type SuppressedRule } from './suppressions.js';
import { findUnterminatedComments } from './syntax-messages.js';
import { RuleRunner } from './kra-validator.js';
import { isLimitError } from '../parser/kra-lexer.js';
import type { Rule } from './rule.js';
import { ruleDocsUrl } from './rule.js';

const REFERENCE_LABELS: Record<string, string> = {
    Measure: 'metric or KPI',
    Unit: 'unit',
    Role: 'role',
    Department: 'department',
    Alignable: 'objective or KRA',
    Kpi: 'KPI',
    Kra: 'KRA',
    RatingScale: 'rating scale',
    Client: 'client',
    Perspective: 'perspective'
};

/**
 * Gives the lexer's, parser's and linker's problems rule ids, doc links and messages that say
 * what to do, like every other rule.
 */
export class KraDocumentValidator extends DefaultDocumentValidator {

    private readonly services: KraServices;
    private readonly rules: RuleRunner;

    constructor(services: KraServices) {
        super(services);
        this.services = services;
        this.rules = new RuleRunner(services);
    }

    override async validateDocument(document: LangiumDocument, options: ValidationOptions = {}, cancelToken = Cancellation.CancellationToken.None): Promise<Diagnostic[]> {
        const diagnostics = await super.validateDocument(document, options, cancelToken);
        return this.applySuppressions(document, diagnostics, options);
    }

    /** The rules check the AST; they are not in Langium's validation registry (see RuleRunner). */
    protected override async validateAstNodes(rootNode: AstNode, options: ValidationOptions, acceptor: ValidationAcceptor, cancelToken = Cancellation.CancellationToken.None): Promise<void> {
        await this.rules.run(AstUtils.getDocument(rootNode), options.categories, acceptor, cancelToken);
    }

    /**
     * Drops the problems that `kra-disable-next-line` / `kra-disable-file` comments suppress, and
     * reports the comments that give no reason, name no known rule, or suppress nothing.
     */
    private applySuppressions(document: LangiumDocument, diagnostics: Diagnostic[], options: ValidationOptions): Diagnostic[] {
        const suppressions = findSuppressions(document);
        if (suppressions.length === 0) {
            return diagnostics;
        }
        const used = new Set<SuppressedRule>();
        const kept = diagnostics.filter(diagnostic => {
            const rule = (diagnostic.data as { rule?: string } | undefined)?.rule;
            if (!rule || !SUPPRESSIBLE.has(rule)) {
                return true;
            }
            for (const suppression of suppressions) {
                if (suppression.kind === 'file' || suppression.targetLine === diagnostic.range.start.line) {
                    const entry = suppression.rules.find(candidate => candidate.id === rule);
                    if (entry) {
                        used.add(entry);
                        return false;
                    }
                }
            }
            return true;
        });
        const categories = options.categories ?? ['built-in', 'fast', 'slow'];
        const [missingReason, unused, unknownRule] = SUPPRESSION_RULES;
        const report = (rule: Rule, range: Range, message: string) => {
            const severity = this.services.validation.RuleSettings.setting(rule, document.uri).severity;
            if (severity !== 'off') {
                kept.push({
                    range,
                    message,
                    severity: SEVERITY[severity],
                    source: this.getSource(),
                    code: rule.id,
                    codeDescription: { href: ruleDocsUrl(rule.id) },
                    data: { rule: rule.id }
                });
            }
        };
        // Problems of the comment itself belong to the fast pass, so a slow-only pass does not repeat them.
        const reportsComments = categories.includes('fast');
        for (const suppression of suppressions) {
            const directive = `kra-disable-${suppression.kind}`;
            if (reportsComments && suppression.rules.length === 0) {
                report(unknownRule, suppression.range, `'${directive}' must name the rule it suppresses, e.g. // ${directive} smart/time-bound -- reason. Blanket suppressions are not allowed.`);
            }
            if (reportsComments && !suppression.reason) {
                report(missingReason, suppression.range, `'${directive}' gives no reason. Add one after '--', e.g. // ${directive} ${suppression.rules[0]?.id ?? 'rule/id'} -- set by the client contract.`);
            }
            for (const entry of suppression.rules) {
                const rule = RULES.find(candidate => candidate.id === entry.id);
                if (!rule) {
                    if (reportsComments) {
                        report(unknownRule, entry.range, NOT_SUPPRESSIBLE.has(entry.id)
                        ? `'${entry.id}' cannot be suppressed: fix the file instead.`
                        : `'${entry.id}' is not a rule. Run 'kra rules' for the list of rule ids.`);
                    }
                } else if (!used.has(entry) && categories.includes(rule.category)) {
                    report(unused, entry.range, `'${directive} ${entry.id}' suppresses nothing: the rule reports no problem ${suppression.kind === 'file' ? 'in this file' : 'on the next line'}. Remove the comment.`);
                }
            }
        }
        return kept;
    }

    protected override processLexingErrors(parseResult: ParseResult, diagnostics: Diagnostic[], options: ValidationOptions): void {
        const start = diagnostics.length;
        // Problems with a limit (file size, formula nesting) are about the text, not a character.
        const [limits, characters] = partition(parseResult.lexerErrors, isLimitError);
        super.processLexingErrors({ ...parseResult, lexerErrors: limits, lexerReport: undefined }, diagnostics, options);
        identify(diagnostics.slice(start), BUILTIN_RULES.unexpectedToken.id);
        const afterLimits = diagnostics.length;
        super.processLexingErrors({ ...parseResult, lexerErrors: characters }, diagnostics, options);
        const root = parseResult.value.$cstNode;
        for (const comment of root ? findUnterminatedComments(root) : []) {
            diagnostics.push({
                severity: DiagnosticSeverity.Error,
                range: { start: comment.range.start, end: { line: comment.range.start.line, character: comment.range.start.character + 2 } },
                message: "Unterminated comment: the comment that starts here with '/*' never ends, so the rest of the file is ignored. Close it with '*/'.",
                source: this.getSource()
            });
        }
        identify(diagnostics.slice(afterLimits), BUILTIN_RULES.invalidCharacter.id);
    }

    protected override processParsingErrors(parseResult: ParseResult, diagnostics: Diagnostic[], options: ValidationOptions): void {
        const start = diagnostics.length;
        // Where the lexer stopped reading a formula at a limit, the parser finds the formula
        // cut short: that is a consequence, already reported.
        const resumes = new Set(parseResult.lexerErrors.filter(isLimitError).map(error => error.resumeOffset).filter(offset => offset !== undefined));
        const parserErrors = resumes.size === 0 ? parseResult.parserErrors : parseResult.parserErrors.filter(error => {
            const offset = error.token.tokenType?.name === 'EOF' || !Number.isFinite(error.token.startOffset) ? 'EOF' : error.token.startOffset;
            return !resumes.has(offset);
        });
        super.processParsingErrors({ ...parseResult, parserErrors }, diagnostics, options);
        identify(diagnostics.slice(start), BUILTIN_RULES.unexpectedToken.id);
    }

    protected override processLinkingErrors(document: LangiumDocument, diagnostics: Diagnostic[], _options: ValidationOptions): void {
        const reflection = this.services.shared.AstReflection;
        for (const reference of document.references) {
            const error = reference.error;
            if (!error) {
                continue;
            }
            const info = error.info;
            const referenceType = reflection.getReferenceType(info);
            const label = REFERENCE_LABELS[referenceType] ?? referenceType;
            const name = info.reference.$refText;
            const suggestion = this.suggest(info, name);
            const message = `${describe(info.container)}: unknown ${label} '${name}' in '${fieldOf(info.container, info.property)}'. `
                + (suggestion ? `Did you mean '${suggestion}'? ` : '')
                + `Declare it, import the file that declares it, or fix the spelling.`;
            const diagnostic = this.toDiagnostic('error', message, {
                node: info.container,
                range: reference.$refNode?.range,
                property: info.property,
                index: info.index,
                data: {
                    code: DocumentValidator.LinkingError,
                    containerType: info.container.$type,
                    property: info.property,
                    refText: name,
                    referenceType,
                    ...(suggestion ? { suggestion } : {}),
                    rule: BUILTIN_RULES.unresolvedReference.id
                }
            });
            identify([diagnostic], BUILTIN_RULES.unresolvedReference.id);
            diagnostics.push(diagnostic);
        }
    }

    /** The closest visible name, if one is close enough to be a typo. */
    private suggest(info: Parameters<KraServices['references']['ScopeProvider']['getScope']>[0], name: string): string | undefined {
        let best: string | undefined;
        // Allow one typo in a short name, two in a medium one, three in a long one.
        let bestDistance = (name.length <= 3 ? 1 : name.length <= 6 ? 2 : 3) + 1;
        for (const candidate of this.services.references.ScopeProvider.getScope(info).getAllElements()) {
            const distance = editDistance(name, candidate.name, bestDistance);
            if (distance < bestDistance) {
                best = candidate.name;
                bestDistance = distance;
            }
        }
        return best;
    }
}

const SUPPRESSIBLE = new Set(RULES.map(rule => rule.id));
const NOT_SUPPRESSIBLE = new Set([...Object.values(BUILTIN_RULES), ...SUPPRESSION_RULES].map(rule => rule.id));
const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

function partition<T, S extends T>(items: readonly T[], test: (item: T) => item is S): [S[], T[]] {
    const yes: S[] = [];
    const no: T[] = [];
    for (const item of items) {
        if (test(item)) {
            yes.push(item);
        } else {
            no.push(item);
        }
    }
    return [yes, no];
}

function identify(diagnostics: Diagnostic[], rule: string): void {
    for (const diagnostic of diagnostics) {
        diagnostic.code = rule;
        diagnostic.codeDescription = { href: ruleDocsUrl(rule) };
        diagnostic.data = { ...(diagnostic.data as object | undefined), rule };
    }
}

/** Levenshtein distance, giving up (returning `limit`) once it reaches `limit`. */
function editDistance(a: string, b: string, limit: number): number {
    if (Math.abs(a.length - b.length) >= limit) {
        return limit;
    }
    let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        let rowMin = i;
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1;
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
            rowMin = Math.min(rowMin, current[j]);
        }
        if (rowMin >= limit) {
            return limit;
        }
        previous = current;
    }
    return Math.min(previous[b.length], limit);
}
