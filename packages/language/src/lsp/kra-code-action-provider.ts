import { formatPercent, rebalancedWeights } from '@kra-lang/semantics';
import {
    AstUtils, CstUtils, GrammarUtils, UriUtils,
    type AstNode, type CstNode, type IndexManager, type LangiumDocument, type MaybePromise
} from 'langium';
import type { CodeActionProvider } from 'langium/lsp';
import {
    CodeActionKind, type CodeAction, type Command, type Diagnostic, type Position, type TextEdit
} from 'vscode-languageserver-types';
import { isBuiltinUri } from '../builtins/builtin-library.js';
import {
    isCarriedKra, isDepartment, isKpi, isKra, isVariant, isKraFile, isMeasuredBy, isRole, isTarget,
    type CarriedKra, type Department, type Kpi, type Kra, type MeasuredBy, type Quantity, type Role, type Variant
} from '../generated/ast.js';
import type { KraServices } from './kra-lsp-module.js';
import { kpisOfKra, krasOfRole, organisationOf } from '../model/queries.js';
import { isSuppressible, ruleFacts } from '../validation/rules/index.js';
import { findSuppressions } from '../validation/suppressions.js';
import { weightPercent } from '../validation/support/weight-value.js';
import type { ImportResolver } from '../workspace/import-resolver.js';
import type { KraWorkspaceManager } from '../workspace/kra-workspace-manager.js';
import { deeper, ID_PATTERN, indentationOf, lineText } from './lsp-utils.js';

type CodeActionParams = Parameters<CodeActionProvider['getCodeActions']>[1];

interface DiagnosticData {
    readonly rule?: string;
    readonly suggestedUnit?: string;
    readonly suggestedDeadline?: string;
    readonly total?: number;
    readonly refText?: string;
    readonly referenceType?: string;
    readonly suggestion?: string;
    readonly containerType?: string;
}

/** What a fixer is given: the diagnostic, its document, the node at its start and its data. */
interface FixRequest {
    readonly document: LangiumDocument;
    readonly diagnostic: Diagnostic;
    readonly node: AstNode | undefined;
    readonly data: DiagnosticData;
}

type Fixer = (request: FixRequest) => Array<CodeAction | undefined>;

/** The reason a suppression added by the quick fix starts with, for the user to replace. */
export const SUPPRESSION_REASON_PLACEHOLDER = 'TODO say why this rule does not apply here';

/**
 * Quick fixes, chosen by each diagnostic's rule (`code`) and `data`:
 * - smart/measurable: add the unit the formula gives (`data.suggestedUnit`);
 * - units/mismatch: declare the unit the formula gives instead of the one written (`data.suggestedUnit`);
 * - smart/time-bound: add a deadline to a target that has none;
 * - weights/sum: rebalance the weights, in proportion, to 100%;
 * - structure/unresolved-reference: use the close name the message suggests ("did you mean");
 *   declare a missing metric used in a formula; import the file that declares the name;
 * - any suppressible rule: `// kra-disable-next-line <rule> -- <reason>` above the line.
 */
export class KraCodeActionProvider implements CodeActionProvider {

    private readonly indexManager: IndexManager;
    private readonly importResolver: ImportResolver;
    private readonly workspaceManager: KraWorkspaceManager;

    constructor(private readonly services: KraServices) {
        this.indexManager = services.shared.workspace.IndexManager;
        this.importResolver = services.workspace.ImportResolver;
        this.workspaceManager = services.shared.workspace.WorkspaceManager;
    }

    /** The fixes that may be applied without a person choosing (see `automaticFixes`). */
    private readonly automaticActions = new WeakSet<CodeAction>();

    /**
     * The fixes `kra check --fix` applies on its own: those that only restore what the text
     * evidently means (the one close name for a misspelt one, the import of the one file that
     * declares a name, the unit a KPI's formula gives). Never one that changes meaning
     * (rebalancing weights, choosing a deadline, declaring a metric) or hides a problem (a
     * suppression): those stay quick fixes for a person to pick in the editor.
     */
    automaticFixes(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        return this.fixes(document, diagnostic).filter(action => this.automaticActions.has(action));
    }

    private automatic(action: CodeAction | undefined): CodeAction | undefined {
        if (action) {
            this.automaticActions.add(action);
        }
        return action;
    }

    getCodeActions(document: LangiumDocument, params: CodeActionParams): MaybePromise<Array<Command | CodeAction>> {
        const only = params.context.only;
        if (only && !only.some(kind => CodeActionKind.QuickFix.startsWith(kind))) {
            return [];
        }
        return params.context.diagnostics.flatMap(diagnostic => this.fixes(document, diagnostic));
    }

    /**
     * The fixers, by rule: one for each rule whose facts say it has fixes (`fix`, checked by a
     * test). A fixer's action may be applied by `kra check --fix` only when the rule says
     * `fix: 'automatic'` and the fixer marks it so.
     */
    private readonly fixers: Readonly<Record<string, Fixer>> = {
        'smart/measurable': ({ document, diagnostic, node, data }) => [this.automatic(this.addUnit(document, diagnostic, node, data.suggestedUnit))],
        'units/mismatch': ({ document, diagnostic, node, data }) => [this.replaceUnit(document, diagnostic, node, data.suggestedUnit)],
        'smart/time-bound': ({ document, diagnostic, node, data }) => [this.addDeadline(document, diagnostic, node, data.suggestedDeadline)],
        'weights/sum': ({ document, diagnostic, node, data }) => [this.rebalance(document, diagnostic, node, data.total)],
        'structure/unresolved-reference': ({ document, diagnostic, data }) => {
            // The name exists in a file not imported yet: importing it is the fix, not another name.
            const imports = this.addImports(document, diagnostic, data);
            const suggestion = this.useSuggestion(document, diagnostic, data, imports.length === 0);
            return [
                imports.length === 0 ? this.automatic(suggestion) : suggestion,
                this.declareMetric(document, diagnostic, data),
                ...(imports.length === 1 ? imports.map(action => this.automatic(action)) : imports)
            ];
        }
    };

    /** The rules this provider has fixers for. */
    fixedRules(): string[] {
        return Object.keys(this.fixers);
    }

    private fixes(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        const data = (diagnostic.data ?? {}) as DiagnosticData;
        const rule = data.rule ?? (typeof diagnostic.code === 'string' ? diagnostic.code : undefined);
        if (!rule) {
            return [];
        }
        const fixer = Object.hasOwn(this.fixers, rule) ? this.fixers[rule] : undefined;
        const actions = fixer ? fixer({ document, diagnostic, node: this.nodeAt(document, diagnostic.range.start), data }) : [];
        if (ruleFacts(rule)?.fix !== 'automatic') {
            actions.forEach(action => action && this.automaticActions.delete(action));
        }
        if (isSuppressible(rule)) {
            actions.push(this.suppress(document, diagnostic, rule));
        }
        return actions.filter((action): action is CodeAction => action !== undefined);
    }

    private nodeAt(document: LangiumDocument, position: Position): AstNode | undefined {
        const root = document.parseResult.value.$cstNode;
        return root && CstUtils.findLeafNodeAtOffset(root, document.textDocument.offsetAt(position))?.astNode;
    }

    private addUnit(document: LangiumDocument, diagnostic: Diagnostic, node: AstNode | undefined, unit: string | undefined): CodeAction | undefined {
        const kpi = AstUtils.getContainerOfType(node, isKpi);
        if (!kpi?.$cstNode || !unit || kpi.unit) {
            return undefined;
        }
        const formulaKeyword = GrammarUtils.findNodeForKeyword(kpi.$cstNode, 'formula');
        const edit = kpi.formula?.$cstNode && formulaKeyword
            ? fieldAfter(document, kpi.formula.$cstNode, indentationOf(document, formulaKeyword.range.start.line), `unit ${unit}`)
            : this.fieldAfterBrace(document, kpi.$cstNode, `unit ${unit}`);
        return edit && quickFix(`Add 'unit ${unit}'`, document, diagnostic, [edit], true);
    }

    /** `unit USD` → `unit USD per hours`: what the formula gives. Not automatic: the formula may be what is wrong. */
    private replaceUnit(document: LangiumDocument, diagnostic: Diagnostic, node: AstNode | undefined, unit: string | undefined): CodeAction | undefined {
        const definition = AstUtils.getContainerOfType(node, (candidate): candidate is Kpi | Variant => isKpi(candidate) || isVariant(candidate));
        const first = definition?.$cstNode && GrammarUtils.findNodeForProperty(definition.$cstNode, 'unit');
        if (!definition?.$cstNode || !first || !unit) {
            return undefined;
        }
        const last = GrammarUtils.findNodeForProperty(definition.$cstNode, 'perUnit') ?? first;
        return quickFix(`Declare 'unit ${unit}', the unit the formula gives`, document, diagnostic, [{ range: { start: first.range.start, end: last.range.end }, newText: unit }]);
    }

    private fieldAfterBrace(document: LangiumDocument, declaration: CstNode, field: string): TextEdit | undefined {
        const brace = GrammarUtils.findNodeForKeyword(declaration, '{');
        return brace && fieldAfter(document, brace, deeper(indentationOf(document, declaration.range.start.line)), field);
    }

    private addDeadline(document: LangiumDocument, diagnostic: Diagnostic, node: AstNode | undefined, suggested: string | undefined): CodeAction | undefined {
        const target = AstUtils.getContainerOfType(node, isTarget);
        const goal = target?.goal?.$cstNode;
        if (!target || target.timing || !goal) {
            return undefined;
        }
        const deadline = suggested ?? this.defaultDeadline(target);
        const edit = { range: { start: goal.range.end, end: goal.range.end }, newText: ` by ${deadline}` };
        return quickFix(`Add a deadline: 'by ${deadline}'`, document, diagnostic, [edit], true);
    }

    /** The end of the year the organisation's plan takes effect in, or of this year. */
    private defaultDeadline(from: AstNode): string {
        const effective = organisationOf(this.services, from)?.effective;
        const year = effective && /^\d{4}/.test(effective) ? effective.substring(0, 4) : String(new Date().getFullYear());
        return `${year}-12-31`;
    }

    private rebalance(document: LangiumDocument, diagnostic: Diagnostic, node: AstNode | undefined, total: number | undefined): CodeAction | undefined {
        const owner = AstUtils.getContainerOfType(node, (n): n is Role | Department | Kra => isRole(n) || isDepartment(n) || isKra(n));
        if (!owner || typeof total !== 'number') {
            return undefined;
        }
        const parts = weightedParts(owner);
        const percents = parts.map(part => part.weight ? weightPercent(part.weight) : undefined);
        const scaled = percents.every(value => value !== undefined) ? rebalancedWeights(percents) : undefined;
        if (!scaled) {
            return undefined;
        }
        const edits: TextEdit[] = [];
        parts.forEach((part, index) => {
            const edit = weightEdit(part, scaled[index]);
            if (edit) {
                edits.push(edit);
            }
        });
        return edits.length === parts.length
            ? quickFix(`Rebalance the weights to 100% (${scaled.map(value => formatPercent(value)).join(', ')})`, document, diagnostic, edits, true)
            : undefined;
    }

    /** Replaces a misspelt name with the visible one the diagnostic suggests. */
    private useSuggestion(document: LangiumDocument, diagnostic: Diagnostic, data: DiagnosticData, preferred: boolean): CodeAction | undefined {
        if (!data.suggestion || data.refText === undefined || document.textDocument.getText(diagnostic.range) !== data.refText) {
            return undefined;
        }
        return quickFix(`Change '${data.refText}' to '${data.suggestion}'`, document, diagnostic, [{ range: diagnostic.range, newText: data.suggestion }], preferred);
    }

    private declareMetric(document: LangiumDocument, diagnostic: Diagnostic, data: DiagnosticData): CodeAction | undefined {
        const name = data.refText;
        if (data.containerType !== 'MeasureRef' || !name || !ID_PATTERN.test(name)) {
            return undefined;
        }
        const text = document.textDocument.getText();
        const end = document.textDocument.positionAt(text.length);
        const separator = text.length === 0 ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
        const declaration = `${separator}metric ${name} "${humanise(name)}" {\n  unit count\n}\n`;
        return quickFix(`Declare metric '${name}'`, document, diagnostic, [{ range: { start: end, end }, newText: declaration }]);
    }

    /** One fix per workspace file that declares the name and that this file does not import yet. */
    private addImports(document: LangiumDocument, diagnostic: Diagnostic, data: DiagnosticData): CodeAction[] {
        const root = document.parseResult.value;
        if (!data.refText || !data.referenceType || !isKraFile(root)) {
            return [];
        }
        const workspaceRoot = this.workspaceManager.rootOf(document.uri);
        const imported = new Set(this.importResolver.importedDocuments(document).map(imported => imported.uri.toString()));
        const candidates = new Set<string>();
        for (const description of this.indexManager.allElements(data.referenceType)) {
            const uri = description.documentUri;
            if (description.name === data.refText && !isBuiltinUri(uri.toString()) && uri.toString() !== document.uri.toString()
                && !imported.has(uri.toString()) && UriUtils.contains(workspaceRoot, uri)) {
                candidates.add(uri.toString());
            }
        }
        const lastImport = root.imports[root.imports.length - 1]?.$cstNode;
        return [...candidates].sort().map(uri => {
            let path = UriUtils.relative(UriUtils.dirname(document.uri), uri);
            if (!path.startsWith('../')) {
                path = `./${path}`;
            }
            const edit: TextEdit = lastImport
                ? { range: { start: lastImport.range.end, end: lastImport.range.end }, newText: `\nimport "${path}"` }
                : { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `import "${path}"\n\n` };
            return quickFix(`Import "${path}" (declares '${data.refText}')`, document, diagnostic, [edit], candidates.size === 1);
        });
    }

    private suppress(document: LangiumDocument, diagnostic: Diagnostic, rule: string): CodeAction {
        const line = diagnostic.range.start.line;
        const existing = findSuppressions(document).find(suppression => suppression.kind === 'next-line' && suppression.targetLine === line);
        const last = existing?.rules[existing.rules.length - 1];
        if (existing && last && !existing.rules.some(entry => entry.id === rule)) {
            const edit = { range: { start: last.range.end, end: last.range.end }, newText: `, ${rule}` };
            return quickFix(`Suppress ${rule} on this line too`, document, diagnostic, [edit]);
        }
        const comment = `${indentationOf(document, line)}// kra-disable-next-line ${rule} -- ${SUPPRESSION_REASON_PLACEHOLDER}\n`;
        const start = { line, character: 0 };
        return quickFix(`Suppress ${rule} on this line (give a reason)`, document, diagnostic, [{ range: { start, end: start }, newText: comment }]);
    }
}

function quickFix(title: string, document: LangiumDocument, diagnostic: Diagnostic, edits: TextEdit[], isPreferred = false): CodeAction {
    return {
        title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred,
        edit: { changes: { [document.uri.toString()]: edits } }
    };
}

/**
 * Inserts a field after `anchor`: on a line of its own when the rest of the anchor's line is
 * empty (or a comment), else on the same line.
 */
function fieldAfter(document: LangiumDocument, anchor: CstNode, indentation: string, field: string): TextEdit {
    const end = anchor.range.end;
    const line = lineText(document, end.line);
    if (/^\s*(\/\/.*)?$/.test(line.substring(end.character))) {
        const position = { line: end.line, character: line.length };
        return { range: { start: position, end: position }, newText: `\n${indentation}${field}` };
    }
    return { range: { start: end, end }, newText: ` ${field}` };
}

/** "calls_handled" → "Calls handled". */
function humanise(id: string): string {
    const words = id.replace(/_+/g, ' ').trim();
    return words.charAt(0).toUpperCase() + words.slice(1);
}

interface WeightedPart {
    readonly weight: Quantity | undefined;
    /** The `carries`/`measured by` line that adopts the part with the weight written on its declaration. */
    readonly inheritedOn?: CarriedKra | MeasuredBy;
}

function weightedParts(owner: Role | Department | Kra): WeightedPart[] {
    const adopted = (source: AstNode, weight: Quantity | undefined): WeightedPart =>
        (isCarriedKra(source) || isMeasuredBy(source)) && !source.weight ? { weight, inheritedOn: source } : { weight };
    if (isRole(owner)) {
        return krasOfRole(owner).map(use => adopted(use.source, use.weight));
    }
    if (isDepartment(owner)) {
        return owner.kras.map(kra => ({ weight: kra.weight }));
    }
    return kpisOfKra(owner).map(use => adopted(use.source, use.weight));
}

/**
 * The edit that gives a part its new weight. A percent (or plain) weight keeps its unit and
 * spacing; a weight in another unit becomes a percent. A weight inherited from the declaration
 * is written on the adopting line instead, so the declaration keeps its own share elsewhere.
 */
function weightEdit(part: WeightedPart, percent: number): TextEdit | undefined {
    if (part.inheritedOn) {
        const end = part.inheritedOn.$cstNode?.range.end;
        return end && { range: { start: end, end }, newText: ` weighted ${percent}%` };
    }
    const weight = part.weight?.$cstNode;
    if (!weight || !part.weight) {
        return undefined;
    }
    const unit = part.weight.unit?.ref;
    if (!part.weight.unit || unit?.name === 'percent') {
        const value = GrammarUtils.findNodeForProperty(weight, 'value');
        return value && { range: value.range, newText: String(percent) };
    }
    return { range: weight.range, newText: `${percent}%` };
}
