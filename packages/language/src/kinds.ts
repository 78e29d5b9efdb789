/**
 * The one registry of the language's named declarations. What each kind is called in messages,
 * whether its name prefixes the qualified names inside it, the keywords that begin its fields,
 * and how the editor shows it (outline symbol, completion icon, semantic token) live here, and
 * the validator, the formatter, scoping, the compiler and the editor layer derive their tables
 * from it. A test (packages/language/test/kinds.test.ts) fails when the grammar has a named type without an entry,
 * or a reference type without a label.
 *
 * The editor's kinds are named as the protocol names them (`SymbolKind.Package` is 'Package'),
 * so that the core needs nothing from the protocol; lsp/ turns the names into the protocol's
 * numbers.
 */
import type { KraLangAstType } from './generated/ast.js';

/** The declarations of the grammar: every type that has a `name`. */
export type DeclarationType =
    | 'Organisation' | 'Objective' | 'Perspective' | 'Unit' | 'Metric' | 'Source' | 'Client' | 'RatingScale'
    | 'Department' | 'Role' | 'Kra' | 'Kpi' | 'Variant';

export interface DeclarationKind {
    /** How messages name the kind: "KPI", "rating scale". */
    readonly label: string;
    /** How the file writes it (`rating scale`, `kpi`), for "expected a declaration" messages; absent for kinds only nested (variants). */
    readonly keyword?: string;
    /** Its name prefixes the qualified names of the declarations inside it (`operations.service.aht`). */
    readonly namespace: boolean;
    /** The keywords that begin a field of its body: each starts a line of its own when formatted. */
    readonly fieldStarts: readonly string[];
    /** The outline and workspace-symbol kind, by its name in the protocol's `SymbolKind`. */
    readonly symbol: string;
    /** The completion icon, by its name in the protocol's `CompletionItemKind`. */
    readonly completion: string;
    /** The semantic token type of its name and of references to it (the protocol's `SemanticTokenTypes` values). */
    readonly token: string;
}

export const DECLARATION_KINDS: Readonly<Record<DeclarationType, DeclarationKind>> = {
    Organisation: {
        label: 'organisation', keyword: 'organisation', namespace: false,
        fieldStarts: ['version', 'effective', 'fiscal', 'review', 'currency', 'rated', 'description'],
        symbol: 'Package', completion: 'Module', token: 'namespace'
    },
    Objective: {
        label: 'objective', keyword: 'objective', namespace: false,
        fieldStarts: ['description', 'owner', 'perspective', 'by'],
        symbol: 'Event', completion: 'Event', token: 'event'
    },
    Perspective: {
        label: 'perspective', keyword: 'perspective', namespace: false, fieldStarts: [],
        symbol: 'EnumMember', completion: 'EnumMember', token: 'enumMember'
    },
    Unit: {
        label: 'unit', keyword: 'unit', namespace: false, fieldStarts: [],
        symbol: 'TypeParameter', completion: 'Unit', token: 'type'
    },
    Metric: {
        label: 'metric', keyword: 'metric', namespace: false,
        fieldStarts: ['description', 'source', 'unit', 'additive', 'non-additive', 'aggregate', 'missing', 'owner'],
        symbol: 'Variable', completion: 'Variable', token: 'variable'
    },
    Source: {
        label: 'source', keyword: 'source', namespace: false,
        fieldStarts: ['description', 'file', 'table', 'period'],
        symbol: 'Struct', completion: 'Struct', token: 'struct'
    },
    Client: {
        label: 'client', keyword: 'client', namespace: false,
        fieldStarts: ['description', 'contract'],
        symbol: 'Object', completion: 'Value', token: 'interface'
    },
    RatingScale: {
        label: 'rating scale', keyword: 'rating scale', namespace: false,
        fieldStarts: ['stepped', 'interpolated'],
        symbol: 'Enum', completion: 'Enum', token: 'enum'
    },
    Department: {
        label: 'department', keyword: 'department', namespace: true,
        fieldStarts: ['part', 'owner', 'description'],
        symbol: 'Namespace', completion: 'Folder', token: 'namespace'
    },
    Role: {
        label: 'role', keyword: 'role', namespace: true,
        fieldStarts: ['reports', 'description', 'rated'],
        symbol: 'Class', completion: 'Class', token: 'class'
    },
    Kra: {
        label: 'KRA', keyword: 'kra', namespace: true,
        fieldStarts: ['description', 'owner', 'perspective', 'aligns', 'weight', 'review', 'last'],
        symbol: 'Module', completion: 'Module', token: 'struct'
    },
    Kpi: {
        label: 'KPI', keyword: 'kpi', namespace: true,
        fieldStarts: ['description', 'formula', 'unit', 'thresholds', 'higher', 'lower', 'within', 'baseline', 'benchmark',
            'measured', 'source', 'owner', 'weight', 'perspective', 'tags', 'review', 'last'],
        symbol: 'Property', completion: 'Property', token: 'property'
    },
    Variant: {
        label: 'variant', namespace: true,
        fieldStarts: ['description', 'formula', 'unit', 'thresholds'],
        symbol: 'Field', completion: 'Field', token: 'property'
    }
};

/** The kind of a declaration type, or undefined for any other type. */
export function declarationKind(type: string): DeclarationKind | undefined {
    return Object.hasOwn(DECLARATION_KINDS, type) ? DECLARATION_KINDS[type as DeclarationType] : undefined;
}

/**
 * How an unresolved reference names what it looked for, by the grammar's reference type: a
 * declaration's label, or the words for a union (`Measure`: a metric or a KPI).
 */
export const REFERENCE_LABELS: Readonly<Partial<Record<keyof KraLangAstType, string>>> = {
    ...Object.fromEntries(Object.entries(DECLARATION_KINDS).map(([type, kind]) => [type, kind.label])),
    Measure: 'metric or KPI',
    Alignable: 'objective or KRA'
};

/** What may stand at the top level of a file, for "expected …" messages. */
export const TOP_LEVEL_DECLARATIONS: readonly string[] = Object.values(DECLARATION_KINDS)
    .flatMap(kind => (kind.keyword ? [kind.keyword] : []));
