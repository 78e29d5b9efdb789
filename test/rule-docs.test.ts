/**
 * Every rule has a doc page, docs/rules/<family>/<name>.md, with a `## Fails` example that
 * triggers the rule and a `## Passes` example, the same corrected, that does not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allRules } from '../packages/language/src/index.js';
import { buildWorkspace } from '../packages/language/test/test-utils.js';

const DOCS = fileURLToPath(new URL('../docs/rules/', import.meta.url));

/** The first ```kra block after the heading `## <heading>`, before any later heading. */
function section(markdown: string, heading: string): string | undefined {
    const start = markdown.indexOf(`\n## ${heading}\n`);
    if (start < 0) {
        return undefined;
    }
    const rest = markdown.substring(start + heading.length + 5);
    const fence = rest.indexOf('```kra\n');
    const nextHeading = rest.search(/^#{1,2} /m);
    if (fence < 0 || (nextHeading >= 0 && nextHeading < fence)) {
        return undefined;
    }
    const body = rest.substring(fence + '```kra\n'.length);
    const end = body.indexOf('\n```');
    return end < 0 ? undefined : body.substring(0, end + 1);
}

const rules = allRules();

describe('rule documentation', () => {
    it.each(rules.map(rule => [rule.id, rule] as const))('%s has a page with a failing and a passing example', async (id) => {
        const file = `${DOCS}${id}.md`;
        expect(existsSync(file), `missing docs/rules/${id}.md`).toBe(true);
        const markdown = readFileSync(file, 'utf8');
        expect(markdown).toMatch(new RegExp(`^# ${id.replace('/', '\\/')}\\b`));
        const fails = section(markdown, 'Fails');
        const passes = section(markdown, 'Passes');
        expect(fails, 'a "## Fails" heading followed by a ```kra block').toBeDefined();
        expect(passes, 'a "## Passes" heading followed by a ```kra block').toBeDefined();

        const failing = await buildWorkspace({ 'example.kra': fails! });
        const failingRules = failing.diagnostics().map(d => String(d.code));
        expect(failingRules, 'the Fails example must trigger the rule').toContain(id);

        const passing = await buildWorkspace({ 'example.kra': passes! });
        const summary = passing.diagnostics().map(d => `${d.range.start.line + 1}: [${String(d.code)}] ${typeof d.message === 'string' ? d.message : d.message.value}`);
        expect(passing.diagnostics().map(d => String(d.code)), summary.join('\n')).not.toContain(id);
        expect(passing.diagnostics().filter(d => d.severity === 1), summary.join('\n')).toEqual([]);
    });

    it('the index lists every rule', () => {
        const index = readFileSync(`${DOCS}README.md`, 'utf8');
        for (const rule of rules) {
            expect(index, rule.id).toContain(`(${rule.id}.md)`);
        }
    });
});
