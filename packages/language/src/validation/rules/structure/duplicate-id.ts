import type { AstNode } from 'langium';
import { isUnit } from '../../../generated/ast.js';
import { documentNodes } from '../../../model/ast-walk.js';
import { qualifiedName } from '../../../scoping/qualified-names.js';
import { defineRule } from '../../rule.js';
import { describe } from '../../describe.js';
import { BUILTIN_LIBRARY_URI } from '../../../builtins/builtin-library.js';

export const duplicateId = defineRule({
    id: 'structure/duplicate-id',
    summary: 'Two declarations in the workspace share one id.',
    severity: 'error',
    category: 'fast',
    scope: 'workspace',
    checks: {
        KraFile(_file, context) {
            const declarations = context.services.workspace.DeclarationIndex;
            for (const node of documentNodes(context.document)) {
                const name = (node as { name?: unknown }).name;
                if (typeof name !== 'string' || !name) {
                    continue;
                }
                const named = node as AstNode & { name: string };
                const checks: Array<[string, 'name' | 'symbol']> = [[qualifiedName(named), 'name']];
                if (isUnit(node) && node.symbol && node.symbol !== node.name) {
                    checks.push([node.symbol, 'symbol']);
                }
                for (const [id, property] of checks) {
                    const others = declarations.declarationsNamed(node.$type, id, context.document.uri)
                        .filter(other => other.node !== node);
                    if (others.length === 0) {
                        continue;
                    }
                    const builtin = others.some(other => other.documentUri.toString() === BUILTIN_LIBRARY_URI);
                    context.report({
                        node,
                        property,
                        message: builtin
                            ? `${describe(node)}: '${id}' is already a built-in ${isUnit(node) ? 'unit' : 'name'}. Use the built-in one or choose another id.`
                            : `${describe(node)}: the id '${id}' is declared ${others.length + 1} times in the workspace. Ids must be unique; rename one of them.`,
                        relatedInformation: others.flatMap(other => other.location ? [{ location: other.location, message: `'${id}' is also declared here` }] : [])
                    });
                }
            }
        }
    }
});
