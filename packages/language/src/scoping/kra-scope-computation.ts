import {
    Cancellation, DefaultScopeComputation, interruptAndCheck, MultiMap,
    type AstNode, type AstNodeDescription, type LangiumCoreServices, type LangiumDocument
} from 'langium';
import { isUnit, type Unit } from '../generated/ast.js';
import { documentNodes } from '../model/ast-walk.js';
import { qualifiedName } from './qualified-names.js';

/**
 * Exports every declaration of a document under its qualified name, so that nested KRAs and
 * KPIs can be referenced from other files (`operations.service.aht`), and lets a unit be
 * referenced by its symbol as well as its name (`20 s`, `85%`).
 */
export class KraScopeComputation extends DefaultScopeComputation {

    constructor(services: LangiumCoreServices) {
        super(services);
    }

    override async collectExportedSymbols(document: LangiumDocument, cancelToken = Cancellation.CancellationToken.None): Promise<AstNodeDescription[]> {
        const exports: AstNodeDescription[] = [];
        const cancellable = cancelToken !== Cancellation.CancellationToken.None;
        for (const node of documentNodes(document)) {
            if (cancellable) {
                await interruptAndCheck(cancelToken);
            }
            const name = this.nameProvider.getName(node);
            if (!name) {
                continue;
            }
            exports.push(this.descriptions.createDescription(node, qualifiedName(node as AstNode & { name: string }), document));
            if (isUnit(node)) {
                this.addUnitSymbol(node, exports, document);
            }
        }
        return exports;
    }

    /** Langium's, walking the AST with a plain loop (see model/ast-walk.ts). */
    override async collectLocalSymbols(document: LangiumDocument, cancelToken = Cancellation.CancellationToken.None): Promise<MultiMap<AstNode, AstNodeDescription>> {
        const symbols = new MultiMap<AstNode, AstNodeDescription>();
        const cancellable = cancelToken !== Cancellation.CancellationToken.None;
        const nodes = documentNodes(document);
        // Every node but the root (the first), which has no container to be visible in.
        for (let i = 1; i < nodes.length; i++) {
            if (cancellable) {
                await interruptAndCheck(cancelToken);
            }
            this.addLocalSymbol(nodes[i], document, symbols);
        }
        return symbols;
    }

    protected override addLocalSymbol(node: AstNode, document: LangiumDocument, symbols: MultiMap<AstNode, AstNodeDescription>): void {
        super.addLocalSymbol(node, document, symbols);
        if (isUnit(node) && node.$container) {
            const aliases: AstNodeDescription[] = [];
            this.addUnitSymbol(node, aliases, document);
            symbols.addAll(node.$container, aliases);
        }
    }

    private addUnitSymbol(unit: Unit, into: AstNodeDescription[], document: LangiumDocument): void {
        if (unit.symbol && unit.symbol !== unit.name) {
            into.push(this.descriptions.createDescription(unit, unit.symbol, document));
        }
    }
}
