import type { Kpi, Kra, Objective } from '../../../generated/ast.js';
import { describe } from '../../describe.js';
import { defineRule, type RuleContext } from '../../rule.js';
import { capitalise, quoteList } from '../../support/text.js';

/**
 * Words that sound like a goal but say nothing checkable on their own: a description made of
 * these (and fillers) fits any job. Inflected forms are listed because matching is exact.
 */
export const VAGUE_WORDS: readonly string[] = [
    'improve', 'improves', 'improved', 'improving', 'improvement', 'improvements',
    'ensure', 'ensures', 'ensuring',
    'manage', 'manages', 'managing', 'management',
    'maintain', 'maintains', 'maintaining',
    'enhance', 'enhances', 'enhancing', 'enhancement',
    'optimise', 'optimises', 'optimising', 'optimisation',
    'optimize', 'optimizes', 'optimizing', 'optimization',
    'support', 'supports', 'supporting',
    'drive', 'drives', 'driving',
    'deliver', 'delivers', 'delivering',
    'handle', 'handles', 'handling',
    'monitor', 'monitors', 'monitoring',
    'increase', 'increases', 'increasing',
    'achieve', 'achieves', 'achieving',
    'focus', 'strive', 'work', 'works', 'working',
    'better', 'best', 'good', 'great', 'high', 'higher', 'strong', 'excellent', 'excellence',
    'quality', 'performance', 'results', 'outcomes', 'success', 'successful', 'successfully',
    'effective', 'effectively', 'effectiveness',
    'efficient', 'efficiently', 'efficiency',
    'overall', 'general', 'continuous', 'continuously', 'proper', 'properly', 'appropriate',
    'level', 'levels', 'standard', 'standards', 'things', 'aspects'
];

/** Words that carry no content of their own: articles, prepositions, pronouns, the modelling vocabulary. */
const FILLER_WORDS: ReadonlySet<string> = new Set([
    'a', 'an', 'the', 'and', 'or', 'of', 'to', 'for', 'in', 'on', 'at', 'by', 'with', 'from', 'into', 'across',
    'our', 'their', 'its', 'we', 'they', 'it', 'this', 'that', 'these', 'those', 'all', 'each', 'every',
    'as', 'be', 'is', 'are', 'will', 'should', 'must', 'can', 'so', 'very', 'more', 'most', 'much',
    'kpi', 'kra', 'metric', 'measure', 'indicator', 'key', 'area', 'result'
]);

const VAGUE: ReadonlySet<string> = new Set(VAGUE_WORDS);

type Described = Kra | Kpi | Objective;

const KEYWORD: Record<Described['$type'], string> = { Kra: 'kra', Kpi: 'kpi', Objective: 'objective' };

/** What a specific description of each kind reads like. */
const EXAMPLE: Record<Described['$type'], string> = {
    Kra: 'description "Customers reach an agent within 20 seconds and leave with their issue resolved."',
    Kpi: 'description "Share of offered calls that an agent answers within 20 seconds, per day."',
    Objective: 'description "Callers get their issue fixed on the first contact and would recommend our clients\' brands."'
};

/** Lower-case words; a trailing plural `s` is dropped so that "calls" matches "call". */
function words(text: string): string[] {
    return text.toLowerCase().split(/[^\p{L}\p{N}'’-]+/u)
        .map(word => word.replace(/^['’-]+|['’-]+$/g, ''))
        .filter(word => /[\p{L}\p{N}]/u.test(word));
}

function stem(word: string): string {
    return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

function check(node: Described, context: RuleContext): void {
    // Made only when there is a problem to report.
    const what = () => capitalise(describe(node));
    const minWords = Number(context.options.minWords);
    const title = node.title?.trim();
    if (!title) {
        context.report({
            node,
            property: node.title === undefined ? 'name' : 'title',
            message: `${what()} has no title. Give it a short name people recognise, in quotes after its id: \`${KEYWORD[node.$type]} ${node.name} "…" {\`.`
        });
    }
    if (node.description === undefined) {
        context.report({
            node,
            property: 'name',
            message: `${what()} has no description. Add one that says what exactly it covers and how success shows, e.g. \`${EXAMPLE[node.$type]}\``
        });
        return;
    }
    const text = node.description.trim();
    const all = words(text);
    if (all.length === 0) {
        context.report({
            node,
            property: 'description',
            message: `${what()} has an empty description. Say what exactly it covers and how success shows, e.g. \`${EXAMPLE[node.$type]}\``
        });
        return;
    }
    const content = all.filter(word => !FILLER_WORDS.has(word));
    const vague = content.filter(word => VAGUE.has(word));
    if (vague.length > 0 && vague.length === content.length) {
        context.report({
            node,
            property: 'description',
            message: `${what()}: the description only says ${quoteList([...new Set(vague)])}, which fits any job and cannot be checked. `
                + `Name what is measured or changed, for whom, and how much, e.g. \`${EXAMPLE[node.$type]}\``,
            data: { vagueWords: [...new Set(vague)] }
        });
        return;
    }
    if (title) {
        const titleWords = new Set(words(title).map(stem));
        const added = content.filter(word => !titleWords.has(stem(word)));
        if (content.some(word => titleWords.has(stem(word))) && added.every(word => VAGUE.has(word))) {
            const adds = added.length > 0 ? `, adding only ${quoteList([...new Set(added)])}` : '';
            context.report({
                node,
                property: 'description',
                message: `${what()}: the description repeats the title "${title}"${adds}. `
                    + `Say what the title does not: what exactly is counted or changed, for whom, and how success shows, e.g. \`${EXAMPLE[node.$type]}\``
            });
            return;
        }
    }
    if (all.length < minWords) {
        context.report({
            node,
            property: 'description',
            message: `${what()}: the description "${text}" has ${all.length} word${all.length === 1 ? '' : 's'}, too few to be specific (at least ${minWords}). `
                + `Say what exactly is counted or changed, for whom, and how success shows, e.g. \`${EXAMPLE[node.$type]}\``
        });
    }
}

export const specific = defineRule({
    id: 'smart/specific',
    summary: 'A KRA, KPI or objective lacks a title, or a description of substance (missing, a copy of the title, too short or only vague words).',
    severity: 'warning',
    category: 'fast',
    local: true,
    options: {
        minWords: { type: 'integer', description: 'Fewest words a description needs to be specific.', default: 6, minimum: 1 }
    },
    checks: {
        Kra: check,
        Kpi: check,
        Objective: check
    }
});
