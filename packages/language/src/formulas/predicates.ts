import { isAndPredicate, isComparePredicate, isNotPredicate, isOrPredicate, type ComparePredicate, type Predicate } from '../generated/ast.js';

/** The comparisons of an `if` condition, in the order written, however `and`, `or` and `not` join them. */
export function comparisons(predicate: Predicate | undefined): ComparePredicate[] {
    const found: ComparePredicate[] = [];
    const visit = (node: Predicate | undefined): void => {
        if (isComparePredicate(node)) {
            found.push(node);
        } else if (isAndPredicate(node) || isOrPredicate(node)) {
            node.operands.forEach(visit);
        } else if (isNotPredicate(node)) {
            visit(node.operand);
        }
    };
    visit(predicate);
    return found;
}
