import { DefaultFuzzyMatcher } from 'langium/lsp';

const DOT = '.'.charCodeAt(0);

/**
 * Matches completion and workspace-symbol queries against names, where each segment of a
 * qualified name starts a word: `aht` finds `operations.service.aht`, `serv` finds
 * `operations.service`.
 */
export class KraFuzzyMatcher extends DefaultFuzzyMatcher {

    protected override isWordTransition(previous: number, current: number): boolean {
        return previous === DOT || super.isWordTransition(previous, current);
    }
}
