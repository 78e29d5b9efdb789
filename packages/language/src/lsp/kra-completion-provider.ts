import { AstUtils, GrammarAST, type AstNodeDescription, type MaybePromise, type ReferenceInfo } from 'langium';
import {
    DefaultCompletionProvider, type CompletionAcceptor, type CompletionContext, type CompletionValueItem, type LangiumServices, type NextFeature
} from 'langium/lsp';
import { CompletionItemKind, InsertTextFormat, InsertTextMode } from 'vscode-languageserver-types';
import { FORMULA_FUNCTIONS } from '@kra-lang/semantics';
import { isSource, isSourceMeasure, type Source } from '../generated/ast.js';
import { MEASURE_AGGREGATIONS, SOURCE_DIMENSIONS } from '../sources/vocabulary.js';
import { knownColumns } from '../validation/rules/sources/columns.js';
import type { KraServices } from './kra-lsp-module.js';
import { declarationDetail } from './lsp-utils.js';

type InitializeParams = Parameters<LangiumServices['shared']['lsp']['LanguageServer']['initialize']>[0];

/** Keywords that are values of a kind rather than structure: shown as such, with what they are. */
const VALUE_RULES: Record<string, string> = {
    Cadence: 'Cadence',
    Grain: 'Period grain',
    Month: 'Month',
    ColumnType: 'Column type',
    SourceGrain: 'Period grain'
};

const SOURCE_SNIPPET = [
    'source ${1:id} "${2:Title}" {',
    '  file "${3:raw/calls.parquet}"',
    '  period from ${4:started_at}',
    '  ${5:team} from ${6:team_code}',
    '  column ${7:talk_seconds} is ${8|number,text,date,timestamp,boolean|}',
    '}'
].join('\n');

const KPI_SNIPPET = [
    'kpi ${1:id} "${2:Title}" {',
    '  description "${3:What it measures, and why it matters.}"',
    '  formula ${4:safe_ratio(numerator, denominator)}',
    '  unit ${5:%}',
    '  ${6|higher,lower|} is better',
    '  target at least ${7:80}% by ${8:2026-12-31}',
    '  thresholds green at least ${7:80}%, amber at least ${9:70}%, red below ${9:70}%',
    '  weight ${10:25}%',
    '}'
].join('\n');

const KRA_SNIPPET = [
    'kra ${1:id} "${2:Title}" {',
    '  description "${3:The result this area delivers, and for whom.}"',
    '  aligns to ${4:objective}',
    '  weight ${5:25}%',
    '',
    '  $0',
    '}'
].join('\n');

/**
 * Completion: the keywords valid at the cursor (Langium's default), references with their
 * title and unit, formula functions with their signatures, and snippets for a new KPI or KRA.
 */
export class KraCompletionProvider extends DefaultCompletionProvider {

    /** `.` continues a qualified name: `operations.` offers what the department contains. */
    override readonly completionOptions = { triggerCharacters: ['.'] };

    /** Whether the client runs VS Code's commands (to show parameter hints after a function). */
    private vscodeCommands = false;

    private readonly kraServices: KraServices;

    constructor(services: KraServices) {
        super(services);
        this.kraServices = services;
    }

    protected override completionFor(context: CompletionContext, next: NextFeature, acceptor: CompletionAcceptor): MaybePromise<void> {
        if (isFunctionName(next)) {
            this.completionForFunctions(context, acceptor);
            return;
        }
        const feature = assignedFeature(next);
        if (feature === 'aggregation' && next.type === 'SourceMeasure') {
            for (const info of Object.values(MEASURE_AGGREGATIONS)) {
                acceptor(context, { label: info.words, kind: CompletionItemKind.EnumMember, detail: 'Aggregation', documentation: info.summary, sortText: '0' });
            }
            return;
        }
        if (feature === 'dimension' && next.type === 'SourceDimension') {
            for (const dimension of SOURCE_DIMENSIONS) {
                acceptor(context, { label: dimension, kind: CompletionItemKind.EnumMember, detail: 'Dimension', sortText: '0' });
            }
            return;
        }
        if (feature === 'column' && (next.type === 'SourceMeasure' || next.type === 'FilterTest')) {
            this.completionForColumns(context, acceptor);
            return;
        }
        return super.completionFor(context, next, acceptor);
    }

    /** The columns of the source a `measured as` clause reads, or of every source of the document. */
    private completionForColumns(context: CompletionContext, acceptor: CompletionAcceptor): void {
        const measure = context.node && AstUtils.getContainerOfType(context.node, isSourceMeasure);
        const sources: Source[] = measure?.source?.ref ? [measure.source.ref]
            : AstUtils.streamAst(context.document.parseResult.value).filter(isSource).toArray();
        for (const source of sources) {
            const known = knownColumns(source, this.kraServices);
            for (const [name, type] of known?.types ?? []) {
                acceptor(context, {
                    label: /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name),
                    kind: CompletionItemKind.Field,
                    detail: `${type ?? 'column'} of ${source.name}`,
                    sortText: '0'
                });
            }
        }
    }

    protected override initialize(params: InitializeParams): void {
        super.initialize(params);
        this.vscodeCommands = /\bCode\b|VSCodium|Cursor/.test(params.clientInfo?.name ?? '');
    }

    private completionForFunctions(context: CompletionContext, acceptor: CompletionAcceptor): void {
        for (const fn of FORMULA_FUNCTIONS.values()) {
            acceptor(context, {
                label: fn.name,
                kind: CompletionItemKind.Function,
                detail: fn.signature,
                documentation: { kind: 'markdown', value: `\`${fn.signature}\`\n\n${fn.description}` },
                insertText: `${fn.name}($1)`,
                insertTextFormat: InsertTextFormat.Snippet,
                command: this.vscodeCommands ? { title: 'Signature help', command: 'editor.action.triggerParameterHints' } : undefined,
                sortText: '0'
            });
        }
    }

    protected override createReferenceCompletionItem(description: AstNodeDescription, refInfo: ReferenceInfo, context: CompletionContext): CompletionValueItem {
        const item = super.createReferenceCompletionItem(description, refInfo, context);
        let detail: string;
        try {
            detail = declarationDetail(description.node, description.type);
        } catch {
            detail = description.type; // a half-typed declaration: its kind will do
        }
        return { ...item, detail };
    }

    protected override completionForKeyword(context: CompletionContext, keyword: GrammarAST.Keyword, acceptor: CompletionAcceptor): MaybePromise<void> {
        if (!this.filterKeyword(context, keyword)) {
            return;
        }
        const rule = AstUtils.getContainerOfType(keyword, GrammarAST.isParserRule)?.name ?? '';
        const valueKind = VALUE_RULES[rule];
        if (valueKind) {
            acceptor(context, { label: keyword.value, kind: CompletionItemKind.EnumMember, detail: valueKind, sortText: '1' });
            return;
        }
        super.completionForKeyword(context, keyword, acceptor);
        if (keyword.value === 'kpi') {
            this.acceptSnippet(context, acceptor, 'kpi', 'New KPI', KPI_SNIPPET);
        } else if (keyword.value === 'kra') {
            this.acceptSnippet(context, acceptor, 'kra', 'New KRA', KRA_SNIPPET);
        } else if (keyword.value === 'source' && context.node?.$type === 'KraFile') {
            this.acceptSnippet(context, acceptor, 'source', 'New source of raw data', SOURCE_SNIPPET);
        }
    }

    private acceptSnippet(context: CompletionContext, acceptor: CompletionAcceptor, label: string, detail: string, body: string): void {
        acceptor(context, {
            label,
            kind: CompletionItemKind.Snippet,
            detail,
            documentation: { kind: 'markdown', value: '```kra\n' + body.replace(/\$\{\d+\|([^,|]+)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '') + '\n```' },
            insertText: body,
            insertTextFormat: InsertTextFormat.Snippet,
            insertTextMode: InsertTextMode.adjustIndentation,
            sortText: '2'
        });
    }
}

/** The `function` of a FunctionCall: any identifier may be typed there, so the grammar offers nothing. */
function isFunctionName(next: NextFeature): boolean {
    return GrammarAST.isRuleCall(next.feature)
        && AstUtils.getContainerOfType(next.feature, GrammarAST.isAssignment)?.feature === 'function';
}

/** The property the next feature assigns (`aggregation`, `column`), if it is an assignment. */
function assignedFeature(next: NextFeature): string | undefined {
    return AstUtils.getContainerOfType(next.feature, GrammarAST.isAssignment)?.feature;
}
