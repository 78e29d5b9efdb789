import {
    AstUtils, Cancellation, DefaultDocumentValidator, DocumentValidator,
    type AstNode, type LangiumDocument, type ParseResult, type ValidationAcceptor, type ValidationOptions
} from 'langium';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver-types';
import type { KraCoreServices } from '../kra-module.js';
import { describe, fieldOf } from './describe.js';
import { editDistance } from './closest.js';
import { BUILTIN_RULES, isSuppressible, ruleFacts, RULES, SUPPRESSION_RULES } from './rules/index.js';
import { findSuppressions, type SuppressedRule } from './suppressions.js';
import { findUnterminatedComments, mayHaveUnterminatedComment } from '../parser/comments.js';
import { parsedText } from '../workspace/syntax-trees.js';
import { RuleRunner } from './rule-runner.js';
import { isLimitError } from '../parser/kra-lexer.js';
import type { Rule } from './rule.js';
import { REFERENCE_LABELS } from '../kinds.js';
import { ruleDocsUrl } from './rule.js';


/**
 * Gives the lexer's, parser's and linker's problems rule ids, doc links and messages that say
 * what to do, like every other rule.
 */
export class KraDocumentValidator extends DefaultDocumentValidator {

    private readonly services: KraCoreServices;
    private readonly rules: RuleRunner;

    constructor(services: KraCoreServices) {
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
            if (!rule || !isSuppressible(rule)) {
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
        // `slow`: found by the slow pass, which replaces it when it runs again (workspace/kra-document-builder.ts).
        const report = (rule: Rule, range: Range, message: string, slow = false) => {
            const severity = this.services.validation.RuleSettings.setting(rule, document.uri).severity;
            if (severity !== 'off') {
                kept.push({
                    range,
                    message,
                    severity: SEVERITY[severity],
                    source: this.getSource(),
                    code: rule.id,
                    codeDescription: { href: ruleDocsUrl(rule.id) },
                    data: slow ? { rule: rule.id, pass: 'slow' } : { rule: rule.id }
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
                const rule = isSuppressible(entry.id) ? RULES.find(candidate => candidate.id === entry.id) : undefined;
                if (!rule) {
                    if (reportsComments) {
                        report(unknownRule, entry.range, ruleFacts(entry.id)?.suppressible === false
                        ? `'${entry.id}' cannot be suppressed: fix the file instead.`
                        : `'${entry.id}' is not a rule. Run 'kra rules' for the list of rule ids.`);
                    }
                } else if (!used.has(entry) && categories.includes(rule.category)) {
                    report(unused, entry.range, `'${directive} ${entry.id}' suppresses nothing: the rule reports no problem ${suppression.kind === 'file' ? 'in this file' : 'on the next line'}. Remove the comment.`, rule.category === 'slow');
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
        // Read from the text first: a released syntax tree (workspace/syntax-trees.ts) is not restored for nothing.
        const text = parsedText(parseResult.value);
        const root = text !== undefined && mayHaveUnterminatedComment(text) ? parseResult.value.$cstNode : undefined;
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
        const cut = cutFormulas(parseResult);
        const parserErrors = resumes.size === 0 ? parseResult.parserErrors : parseResult.parserErrors.filter(error => {
            const offset = error.token.tokenType?.name === 'EOF' || !Number.isFinite(error.token.startOffset) ? 'EOF' : error.token.startOffset;
            return !resumes.has(offset) && (offset === 'EOF' || !cut.some(span => offset >= span.start && offset <= span.end));
        });
        super.processParsingErrors({ ...parseResult, parserErrors }, diagnostics, options);
        identify(diagnostics.slice(start), BUILTIN_RULES.unexpectedToken.id);
    }

    protected override processLinkingErrors(document: LangiumDocument, diagnostics: Diagnostic[], _options: ValidationOptions): void {
        const reflection = this.services.shared.AstReflection;
        const cut = cutFormulas(document.parseResult);
        for (const reference of document.references) {
            const error = reference.error;
            if (!error) {
                continue;
            }
            const at = reference.$refNode?.offset;
            if (at !== undefined && cut.some(span => at >= span.start && at <= span.end)) {
                // A name in a formula cut short at a limit: a function whose call was cut reads as a metric.
                continue;
            }
            const info = error.info;
            const referenceType = reflection.getReferenceType(info);
            const label = REFERENCE_LABELS[referenceType as keyof typeof REFERENCE_LABELS] ?? referenceType;
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
    private suggest(info: Parameters<KraCoreServices['references']['ScopeProvider']['getScope']>[0], name: string): string | undefined {
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

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/** The formulas the lexer cut short at a limit: from their start to where the cut was made. */
function cutFormulas(parseResult: ParseResult): Array<{ start: number; end: number }> {
    return parseResult.lexerErrors.filter(isLimitError).flatMap(error =>
        error.formulaOffset === undefined || error.offset === undefined ? [] : [{ start: error.formulaOffset, end: error.offset }]);
}

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
