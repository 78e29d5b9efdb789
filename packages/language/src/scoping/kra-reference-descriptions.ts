import {
    Cancellation, CstUtils, DefaultReferenceDescriptionProvider, interruptAndCheck, isMultiReference, isReference, UriUtils,
    type AstNode, type AstNodeDescription, type AstNodeLocator, type DocumentSegment, type LangiumCoreServices,
    type LangiumDocument, type MultiReference, type Reference, type ReferenceDescription, type URI
} from 'langium';
import { documentNodes, forEachReference } from '../model/ast-walk.js';

/**
 * Langium's index of references (for find references, rename and the rules that ask who uses a
 * declaration), walking the AST with plain loops (see model/ast-walk.ts). Each description
 * finds its source path and text segment when first asked: the index holds every reference of
 * the workspace, and only those that find references or rename report are ever read.
 */
export class KraReferenceDescriptionProvider extends DefaultReferenceDescriptionProvider {

    constructor(services: LangiumCoreServices) {
        super(services);
    }

    override async createDescriptions(document: LangiumDocument, cancelToken = Cancellation.CancellationToken.None): Promise<ReferenceDescription[]> {
        const descriptions: ReferenceDescription[] = [];
        const sourceUri = document.uri;
        const cancellable = cancelToken !== Cancellation.CancellationToken.None;
        for (const node of documentNodes(document)) {
            if (cancellable) {
                await interruptAndCheck(cancelToken);
            }
            forEachReference(node, ({ reference, container }) => {
                if (reference.error || !reference.$refNode) {
                    return;
                }
                const targets: AstNodeDescription[] = [];
                if (isReference(reference)) {
                    if (reference.$nodeDescription) {
                        targets.push(reference.$nodeDescription);
                    }
                } else if (isMultiReference(reference)) {
                    for (const item of reference.items) {
                        if (item.$nodeDescription) {
                            targets.push(item.$nodeDescription);
                        }
                    }
                }
                for (const target of targets) {
                    descriptions.push(new LazyReferenceDescription(sourceUri, container, reference, target, this.nodeLocator));
                }
            });
        }
        return descriptions;
    }
}

/** Langium's reference description, with `sourcePath` and `segment` computed on first read. */
class LazyReferenceDescription implements ReferenceDescription {

    readonly targetUri: URI;
    readonly targetPath: string;
    readonly local: boolean;
    private path?: string;
    private textSegment?: DocumentSegment;

    constructor(
        readonly sourceUri: URI,
        private readonly container: AstNode,
        /** Read when asked: a released syntax tree (workspace/syntax-trees.ts) is not held here. */
        private readonly reference: Reference | MultiReference,
        target: AstNodeDescription,
        private readonly locator: AstNodeLocator
    ) {
        this.targetUri = target.documentUri;
        this.targetPath = target.path;
        this.local = UriUtils.equals(target.documentUri, sourceUri);
    }

    get sourcePath(): string {
        return this.path ??= this.locator.getAstNodePath(this.container);
    }

    get segment(): DocumentSegment {
        return this.textSegment ??= CstUtils.toDocumentSegment(this.reference.$refNode!);
    }
}
