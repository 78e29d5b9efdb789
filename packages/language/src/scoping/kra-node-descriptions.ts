import {
    AstUtils, CstUtils, DefaultAstNodeDescriptionProvider,
    type AstNode, type AstNodeDescription, type DocumentSegment, type LangiumDocument, type NameProvider, type URI
} from 'langium';

/**
 * Langium's descriptions of exported and local declarations, with the place of the whole
 * declaration (`selectionSegment`) computed when first read, as its name's place already is:
 * the index holds a description of every declaration of the workspace, and few are ever asked
 * where they are (go to definition, symbols). Describing a document then does not read its
 * syntax tree, which may be released (workspace/syntax-trees.ts).
 */
export class KraAstNodeDescriptionProvider extends DefaultAstNodeDescriptionProvider {

    override createDescription(node: AstNode, name: string | undefined, document?: LangiumDocument): AstNodeDescription {
        const given = name ?? this.nameProvider.getName(node);
        if (!given) {
            return super.createDescription(node, name, document); // Langium's error for a node without a name
        }
        const uri = (document ?? AstUtils.getDocument(node)).uri;
        return new LazyNodeDescription(node, given, uri, this.astNodeLocator.getAstNodePath(node), this.nameProvider);
    }
}

/** Langium's description, with both places computed when first read. */
class LazyNodeDescription implements AstNodeDescription {

    readonly type: string;
    private nameAt?: DocumentSegment;
    private selectionAt?: DocumentSegment;

    constructor(
        readonly node: AstNode,
        readonly name: string,
        readonly documentUri: URI,
        readonly path: string,
        private readonly names: NameProvider
    ) {
        this.type = node.$type;
    }

    get nameSegment(): DocumentSegment | undefined {
        return this.nameAt ??= CstUtils.toDocumentSegment(this.names.getNameNode(this.node) ?? this.node.$cstNode);
    }

    get selectionSegment(): DocumentSegment | undefined {
        return this.selectionAt ??= CstUtils.toDocumentSegment(this.node.$cstNode);
    }
}
