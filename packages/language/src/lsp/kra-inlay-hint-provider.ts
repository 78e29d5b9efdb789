import { GrammarUtils, type AstNode } from 'langium';
import { AbstractInlayHintProvider, type InlayHintAcceptor } from 'langium/lsp';
import { InlayHintKind } from 'vscode-languageserver-types';
import { unitTypeText } from '@kra-lang/semantics';
import { UnitInference } from '../formulas/units.js';
import { isKpi, isMeasuredBy, isVariant } from '../generated/ast.js';
import { percentLabel, shareOfRole } from './weight-shares.js';

/**
 * Inlay hints:
 * - after a formula, the unit it gives (`→ seconds`), worked out by the same unit inference the
 *   units/* rules use;
 * - after a KPI (or `measured by` line) in a role's KRA, its effective share of the role's score:
 *   the KRA's share of the role times the KPI's share of the KRA.
 */
export class KraInlayHintProvider extends AbstractInlayHintProvider {

    computeInlayHint(node: AstNode, acceptor: InlayHintAcceptor): void {
        if ((isKpi(node) || isVariant(node)) && node.formula?.$cstNode) {
            const type = new UnitInference().infer(node.formula);
            if (type.type !== 'unknown') {
                acceptor({
                    position: node.formula.$cstNode.range.end,
                    label: `→ ${unitTypeText(type)}`,
                    kind: InlayHintKind.Type,
                    paddingLeft: true,
                    tooltip: 'The unit this formula gives'
                });
            }
        }
        if (isKpi(node) || isMeasuredBy(node)) {
            const share = shareOfRole(node);
            const anchor = isKpi(node)
                ? GrammarUtils.findNodeForProperty(node.$cstNode, node.title !== undefined ? 'title' : 'name')
                : node.$cstNode;
            if (share && anchor) {
                acceptor({
                    position: anchor.range.end,
                    label: `${percentLabel(share.percent)} of ${share.role}'s score`,
                    paddingLeft: true,
                    tooltip: `The share of role '${share.role}' score this KPI carries: its KRA's share of the role times its share of the KRA.`
                });
            }
        }
    }
}
