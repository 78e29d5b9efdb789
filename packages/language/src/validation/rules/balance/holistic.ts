import type { Department, Kra, Perspective, Role } from '../../../generated/ast.js';
import { kpisOfKra, krasOfRole, perspectiveOf } from '../../../model/queries.js';
import { describe } from '../../describe.js';
import { defineRule, type RuleContext } from '../../rule.js';

/** The built-in perspectives, as a suggestion reads them. */
const BALANCED_SCORECARD: ReadonlyArray<[name: string, label: string]> = [
    ['financial', 'financial'],
    ['customer', 'customer'],
    ['internal_process', 'internal process'],
    ['people', 'people (learning and growth)']
];

/**
 * The perspectives a KRA covers: its own, and its KPIs' (a KPI with none of its own has its
 * KRA's). A financial KRA with a customer KPI does look at customers, so both count.
 */
function perspectivesOfKra(kra: Kra): Perspective[] {
    const perspectives = [perspectiveOf(kra), ...kpisOfKra(kra).map(use => perspectiveOf(use.kpi))];
    return perspectives.filter((perspective): perspective is Perspective => !!perspective);
}

function check(owner: Role | Department, kras: readonly Kra[], context: RuleContext): void {
    const minKras = Number(context.options.minKras);
    const covered = new Map<string, Perspective>();
    const placed: Kra[] = [];
    const unplaced: Kra[] = [];
    for (const kra of new Set(kras)) {
        const perspectives = perspectivesOfKra(kra);
        (perspectives.length > 0 ? placed : unplaced).push(kra);
        perspectives.forEach(perspective => covered.set(perspective.name, perspective));
    }
    // Only KRAs that state a perspective (or whose KPIs do) say anything about balance.
    if (placed.length < minKras || covered.size !== 1) {
        return;
    }
    const [perspective] = covered.values();
    const label = BALANCED_SCORECARD.find(([name]) => name === perspective.name)?.[1] ?? perspective.name;
    const missing = BALANCED_SCORECARD.filter(([name]) => name !== perspective.name);
    const who = describe(owner);
    const unplacedNote = unplaced.length > 0
        ? ` (${unplaced.map(kra => kra.name).join(', ')} ${unplaced.length === 1 ? 'states' : 'state'} no perspective; give ${unplaced.length === 1 ? 'it' : 'them'} one if ${unplaced.length === 1 ? 'it looks' : 'they look'} elsewhere.)`
        : '';
    context.report({
        node: owner,
        property: 'name',
        message: `${who.charAt(0).toUpperCase()}${who.slice(1)}: ${placed.length === 2 ? 'both KRAs' : `all ${placed.length} KRAs`}${unplaced.length > 0 ? ' that have a perspective' : ''} `
            + `(${placed.map(kra => kra.name).join(', ')}) and their KPIs sit in the ${label} perspective. `
            + `Measured on ${label} results alone, the ${owner.$type === 'Role' ? 'role' : 'department'} ignores the rest of the balanced scorecard: `
            + `add a KRA or KPI in the ${missing.map(([, text]) => text).join(', ').replace(/, ([^,]*)$/, ' or $1')} perspective `
            + `(e.g. \`perspective ${missing[0][0]}\`).${unplacedNote}`,
        data: { perspective: perspective.name }
    });
}

export const holistic = defineRule({
    id: 'balance/holistic',
    summary: 'A role\'s or department\'s KRAs and their KPIs all sit in one balanced-scorecard perspective.',
    severity: 'warning',
    // Reads KRAs carried from other files through linked references only: cheap enough for every keystroke.
    category: 'fast',
    local: true,
    options: {
        minKras: {
            type: 'integer', description: 'Fewest KRAs with a perspective a role or department must have before the rule judges its balance.',
            default: 2, minimum: 1
        }
    },
    checks: {
        Role: (role, context) => check(role, krasOfRole(role).map(use => use.kra), context),
        Department: (department, context) => check(department, department.kras, context)
    }
});
