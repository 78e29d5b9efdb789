import { AstUtils, GrammarUtils, interruptAndCheck, Cancellation, type LangiumDocument } from 'langium';
import type { CodeLensProvider } from 'langium/lsp';
import type { CodeLens } from 'vscode-languageserver-types';

type CodeLensParams = Parameters<CodeLensProvider['provideCodeLens']>[1];
import { isKra } from '../generated/ast.js';
import { kraWeightSummary } from './weight-shares.js';

/** A lens over each KRA with its KPI weight total: "KPI weights 100% · 3 KPIs". */
export class KraCodeLensProvider implements CodeLensProvider {

    async provideCodeLens(document: LangiumDocument, _params: CodeLensParams, cancelToken = Cancellation.CancellationToken.None): Promise<CodeLens[]> {
        const lenses: CodeLens[] = [];
        for (const node of AstUtils.streamAst(document.parseResult.value)) {
            await interruptAndCheck(cancelToken);
            if (isKra(node) && node.$cstNode) {
                const anchor = GrammarUtils.findNodeForProperty(node.$cstNode, 'name') ?? node.$cstNode;
                // No command: the lens informs; clicking it does nothing.
                lenses.push({ range: anchor.range, command: { title: kraWeightSummary(node), command: '' } });
            }
        }
        return lenses;
    }
}
