import {
    Cancellation, DefaultLinker, interruptAndCheck, type LangiumCoreServices, type LangiumDocument
} from 'langium';
import { documentNodes, forEachReference } from '../model/ast-walk.js';

/** Langium's linker, walking the AST with plain loops (see model/ast-walk.ts). */
export class KraLinker extends DefaultLinker {

    constructor(services: LangiumCoreServices) {
        super(services);
    }

    override async link(document: LangiumDocument, cancelToken = Cancellation.CancellationToken.None): Promise<void> {
        if (this.profiler?.isActive('linking')) {
            // Langium's own loop times each reference for its profiler.
            return super.link(document, cancelToken);
        }
        const cancellable = cancelToken !== Cancellation.CancellationToken.None;
        for (const node of documentNodes(document)) {
            if (cancellable) {
                await interruptAndCheck(cancelToken);
            }
            forEachReference(node, info => this.doLink(info, document));
        }
    }
}
