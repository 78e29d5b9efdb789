import {
    AstUtils, Cancellation, DefaultScopeComputation, interruptAndCheck,
    type AstNode, type AstNodeDescription, type LangiumCoreServices, type LangiumDocument, type MultiMap
} from 'langium';
import { isUnit, type Unit } from '../generated/ast.js';
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
        for (const node of AstUtils.streamAst(document.parseResult.value)) {
            await interruptAndCheck(cancelToken);
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
