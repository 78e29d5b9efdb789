import { DiagnosticTag } from 'vscode-languageserver-types';
import { describe } from '../../describe.js';
import { defineRule } from '../../rule.js';
import { capitalise } from '../../support/counting.js';

export const unused = defineRule({
    id: 'metrics/unused',
    summary: 'A declared metric that no KPI or variant formula in the workspace uses.',
    severity: 'warning',
    // Looks at references from every document of the workspace.
    category: 'slow',
    checks: {
        Metric(metric, context) {
            if (!context.services.workspace.DeclarationIndex.isReferenced(metric)) {
                context.report({
                    node: metric,
                    property: 'name',
                    message: `${capitalise(describe(metric))} is declared but no KPI or variant \`formula\` in the workspace uses it. `
                        + `Use it in the \`formula\` of the KPI it feeds (by its name, \`${metric.name}\`), or delete the declaration if no KPI needs it.`,
                    tags: [DiagnosticTag.Unnecessary]
                });
            }
        }
    }
});
