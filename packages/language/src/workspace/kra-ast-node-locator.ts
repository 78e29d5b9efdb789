import { DefaultAstNodeLocator, type AstNode } from 'langium';

/**
 * Builds AST node paths (`/declarations@3/kras@0/kpis@2/formula`) as one flat string. Langium's
 * locator appends segment by segment, which leaves each path as a chain of concatenated strings:
 * the reference index keeps two paths per reference, and in a large workspace those chains take
 * a noticeable share of the heap.
 */
export class KraAstNodeLocator extends DefaultAstNodeLocator {

    override getAstNodePath(node: AstNode): string {
        const segments: string[] = [];
        for (let current: AstNode = node; current.$container; current = current.$container) {
            segments.push(this.getPathSegment(current));
        }
        if (segments.length === 0) {
            return '';
        }
        segments.push('');
        return segments.reverse().join(this.segmentSeparator);
    }
}
