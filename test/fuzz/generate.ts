/**
 * Generators of valid KRA Lang workspaces for property-based tests. A workspace is built from a
 * tape of numbers (fast-check shrinks the tape, and with it the workspace): every choice reads
 * the next number, and an exhausted tape chooses the first, simplest option. The grammar
 * (grammar/kra.langium) is followed construct by construct; names are unique and every
 * reference names a declaration that the referring file sees, so a generated workspace parses
 * and links without errors (rules may still report weights, SMART or unit problems).
 */
import fc from 'fast-check';

export interface GeneratedWorkspace {
    /** File path (relative to the workspace root) to text. */
    readonly files: Record<string, string>;
    /** Metric ids, for data files. */
    readonly metrics: string[];
}

const UNITS = ['count', 'ratio', '%', 'percent', 'score', 'seconds', 's', 'minutes', 'min', 'hours', 'h', 'days', 'weeks', 'USD', 'EUR', 'GBP'];
const PERSPECTIVES = ['financial', 'customer', 'internal_process', 'people'];
const CADENCES = ['daily', 'weekly', 'monthly', 'quarterly', 'half-yearly', 'yearly'];
const GRAINS = ['day', 'week', 'month', 'quarter', 'year'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const AGGREGATIONS = ['sum', 'avg', 'min', 'max', 'last', 'median'];
const FUNCTIONS = ['sum', 'avg', 'min', 'max', 'count', 'median', 'percentile', 'safe_ratio'];
const TEXTS = ['Calls handled', 'Share of calls answered within 20 seconds, per day.', 'Ops', 'Net promoter score',
    'Revenue per agent hour, from the finance ledger.', 'Ünïcödé tëxt — “quoted” ✓', 'with \\"escaped\\" quotes', ''];
/** Whitespace and comments between tokens: the formatter must keep every comment and the meaning. */
const SEPARATORS = [' ', ' ', ' ', '  ', '\n', '\n  ', '\n\n', '\t', ' /* note */ ', ' // note\n', '\n// a line\n', ' /** doc */ ', '\r\n'];

class Tape {
    private index = 0;
    constructor(private readonly numbers: readonly number[]) { }

    /** A number in 0..n-1; 0 once the tape is used up. */
    choose(n: number): number {
        if (n <= 1) {
            return 0;
        }
        const value = this.index < this.numbers.length ? this.numbers[this.index] : 0;
        this.index++;
        return value % n;
    }

    pick<T>(items: readonly T[]): T {
        return items[this.choose(items.length)];
    }

    chance(percent: number): boolean {
        return this.choose(100) < percent;
    }
}

interface Declared {
    readonly kind: 'metric' | 'kpi' | 'kra' | 'role' | 'department' | 'objective' | 'client' | 'scale' | 'unit' | 'perspective';
    /** The name to refer to it by from anywhere it is visible (qualified for nested ones). */
    readonly name: string;
    readonly file: number;
}

/** Builds one workspace: files in order, each importing some earlier ones. */
class Builder {
    private readonly declared: Declared[] = [];
    private counter = 0;
    private file = 0;
    /** Files the current file imports (and itself). */
    private visible = new Set<number>();
    private hasOrganisation = false;
    private tokens: string[] = [];

    constructor(private readonly tape: Tape) { }

    build(): GeneratedWorkspace {
        const fileCount = 1 + this.tape.choose(3);
        const paths = Array.from({ length: fileCount }, (_, index) => (index === 2 ? 'sub/c.kra' : `${'ab'[index]}.kra`));
        const files: Record<string, string> = {};
        for (let file = 0; file < fileCount; file++) {
            this.file = file;
            this.visible = new Set([file]);
            this.tokens = [];
            for (let earlier = 0; earlier < file; earlier++) {
                if (this.tape.chance(70)) {
                    this.visible.add(earlier);
                    this.emit('import', `"${relativeImport(paths[file], paths[earlier])}"`);
                }
            }
            const declarations = this.tape.choose(6) + (file === 0 ? 1 : 0);
            for (let i = 0; i < declarations; i++) {
                this.declaration();
            }
            files[paths[file]] = this.layout();
        }
        return { files, metrics: this.declared.filter(d => d.kind === 'metric').map(d => d.name) };
    }

    // -- tokens and layout --------------------------------------------------------------------

    private emit(...tokens: string[]): void {
        this.tokens.push(...tokens);
    }

    private layout(): string {
        let text = '';
        this.tokens.forEach((token, index) => {
            text += (index === 0 ? '' : this.tape.pick(SEPARATORS)) + token;
        });
        text += '\n';
        // Some files use CRLF line ends throughout, some start with a byte order mark.
        if (this.tape.chance(20)) {
            text = text.replace(/\r?\n/g, '\r\n');
        }
        return this.tape.chance(10) ? `\uFEFF${text}` : text;
    }

    private id(prefix: string): string {
        return `${prefix}${this.counter++}`;
    }

    private declare(kind: Declared['kind'], name: string): void {
        this.declared.push({ kind, name, file: this.file });
    }

    /** A declaration of the kind visible here, or undefined. */
    private visibleOf(kind: Declared['kind']): Declared | undefined {
        const candidates = this.declared.filter(d => d.kind === kind && this.visible.has(d.file));
        return candidates.length > 0 ? this.tape.pick(candidates) : undefined;
    }

    private text(): string {
        return `"${this.tape.pick(TEXTS)}"`;
    }

    private title(): string[] {
        return this.tape.chance(80) ? [this.text()] : [];
    }

    // -- values ---------------------------------------------------------------------------------

    private number(): string {
        return this.tape.pick(['0', '1', '5', '20', '85', '100', '360', '0.5', '12.75', '1000000', '0.000001']);
    }

    private unit(): string {
        const own = this.tape.chance(20) ? this.visibleOf('unit') : undefined;
        return own ? own.name : this.tape.pick(UNITS);
    }

    private quantity(): string[] {
        const sign = this.tape.pick(['', '', '', '-', '+']);
        const value = sign ? [sign, this.number()] : [this.number()];
        return this.tape.chance(70) ? [...value, this.unit()] : value;
    }

    private date(): string {
        const year = 2025 + this.tape.choose(3);
        const month = 1 + this.tape.choose(12);
        const day = 1 + this.tape.choose(31);
        return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    }

    private period(): string {
        const year = 2025 + this.tape.choose(3);
        return this.tape.pick([`${year}`, `${year}-H${1 + this.tape.choose(2)}`, `${year}-Q${1 + this.tape.choose(4)}`,
            `${year}-${String(1 + this.tape.choose(12)).padStart(2, '0')}`, `FY${year}`]);
    }

    private timing(): string[] {
        switch (this.tape.choose(3)) {
            case 0: return ['by', this.date()];
            case 1: return ['in', this.period()];
            default: return ['each', this.tape.pick(GRAINS)];
        }
    }

    private owner(): string[] {
        const role = this.tape.chance(40) ? this.visibleOf('role') : undefined;
        return ['owner', role ? role.name : this.text()];
    }

    private perspective(): string {
        const own = this.tape.chance(20) ? this.visibleOf('perspective') : undefined;
        return own ? own.name : this.tape.pick(PERSPECTIVES);
    }

    // -- formulas -------------------------------------------------------------------------------

    private expression(depth: number, scope: readonly string[]): string[] {
        const leaf = depth <= 0 || this.tape.chance(35);
        if (leaf) {
            const measure = this.tape.chance(75) ? this.measure(scope) : undefined;
            if (measure) {
                return [measure];
            }
            return this.tape.chance(50) ? [this.number()] : [this.number(), this.unit()];
        }
        switch (this.tape.choose(7)) {
            case 0:
            case 1:
                return [...this.operand(depth - 1, scope), this.tape.pick(['+', '-', '*', '/']), ...this.operand(depth - 1, scope)];
            case 2:
                return ['-', ...this.operand(depth - 1, scope)];
            case 3: {
                const fn = this.tape.pick(FUNCTIONS);
                const arity = fn === 'safe_ratio' || fn === 'percentile' ? 2 : fn === 'min' || fn === 'max' ? 1 + this.tape.choose(3) : 1;
                const args: string[] = [];
                for (let i = 0; i < arity; i++) {
                    args.push(...(i > 0 ? [','] : []), ...this.expression(depth - 1, scope));
                }
                return [fn, '(', ...args, ')'];
            }
            case 4:
                return ['if', ...this.operand(depth - 1, scope), this.tape.pick(['>', '>=', '<', '<=', '=', '!=']), ...this.operand(depth - 1, scope),
                    'then', ...this.expression(depth - 1, scope), 'else', ...this.expression(depth - 1, scope)];
            case 5: {
                const window = this.tape.pick([
                    ['rolling', String(1 + this.tape.choose(90)), this.tape.pick(['days', 'weeks', 'months'])],
                    [this.tape.pick(['month', 'quarter', 'year']), 'to', 'date'],
                    ['previous', 'period'],
                    ['same', 'period', 'last', 'year']
                ]);
                return [...this.primary(depth - 1, scope), 'over', ...window];
            }
            default:
                return ['(', ...this.expression(depth - 1, scope), ')'];
        }
    }

    /** An operand of a binary operator or a comparison: parenthesised unless it is a primary. */
    private operand(depth: number, scope: readonly string[]): string[] {
        return this.primary(depth, scope);
    }

    private primary(depth: number, scope: readonly string[]): string[] {
        const expression = this.expression(depth, scope);
        return expression.length === 1 || (expression.length === 2 && /^\d/.test(expression[0])) ? expression : ['(', ...expression, ')'];
    }

    /** A metric or KPI visible here: by qualified name, or by simple name inside its KRA. */
    private measure(scope: readonly string[]): string | undefined {
        const candidates = [
            ...this.declared.filter(d => (d.kind === 'metric' || d.kind === 'kpi') && this.visible.has(d.file)).map(d => d.name),
            ...scope
        ];
        return candidates.length > 0 ? this.tape.pick(candidates) : undefined;
    }

    // -- declarations ---------------------------------------------------------------------------

    private declaration(): void {
        switch (this.tape.choose(12)) {
            case 0:
                if (!this.hasOrganisation) {
                    this.organisation();
                    return;
                }
                this.metric();
                return;
            case 1: this.objective(); return;
            case 2: this.perspectiveDeclaration(); return;
            case 3: this.unitDeclaration(); return;
            case 4:
            case 5: this.metric(); return;
            case 6: this.client(); return;
            case 7: this.scale(); return;
            case 8:
            case 9: this.department(); return;
            case 10: this.role(); return;
            default:
                if (this.tape.chance(50)) {
                    this.kra(undefined);
                } else {
                    this.kpi(undefined, []);
                }
        }
    }

    private organisation(): void {
        this.hasOrganisation = true;
        this.emit('organisation', this.id('org'), ...this.title(), '{');
        const fields: string[][] = [
            ['version', '"2026.4"'], ['effective', this.date()], ['fiscal', 'year', 'starts', 'in', this.tape.pick(MONTHS)],
            ['review', this.tape.pick(CADENCES)], ['currency', this.tape.pick(['USD', 'EUR', 'GBP'])], ['description', this.text()]
        ];
        const scale = this.visibleOf('scale');
        if (scale) {
            fields.push(['rated', 'on', scale.name]);
        }
        this.fields(fields);
        this.emit('}');
    }

    /** Some of the fields, in an order chosen from the tape. */
    private fields(fields: string[][]): void {
        const remaining = [...fields];
        const count = this.tape.choose(remaining.length + 1);
        for (let i = 0; i < count; i++) {
            const [field] = remaining.splice(this.tape.choose(remaining.length), 1);
            this.emit(...field);
        }
    }

    private objective(): void {
        const name = this.id('ob');
        this.emit('objective', name, ...this.title());
        if (this.tape.chance(80)) {
            this.emit('{');
            this.fields([['description', this.text()], this.owner(), ['perspective', this.perspective()], ['by', this.date()]]);
            this.emit('}');
        }
        this.declare('objective', name);
    }

    private perspectiveDeclaration(): void {
        const name = this.id('ps');
        this.emit('perspective', name, ...this.title());
        this.declare('perspective', name);
    }

    private unitDeclaration(): void {
        const name = this.id('un');
        this.emit('unit', name, ...this.title());
        if (this.tape.chance(40)) {
            this.emit('symbol', this.id('sy'));
        }
        switch (this.tape.choose(3)) {
            case 0: this.emit('is', this.tape.pick(['count', 'ratio', 'score', 'time', 'currency'])); break;
            case 1: this.emit('=', this.number(), this.tape.pick(['seconds', 'count', 'USD', 'minutes'])); break;
        }
        this.declare('unit', name);
    }

    private metric(): void {
        const name = this.id('mt');
        this.emit('metric', name, ...this.title());
        if (this.tape.chance(85)) {
            this.emit('{');
            this.fields([
                ['description', this.text()], ['source', this.text(), ...(this.tape.chance(50) ? ['field', '"a.b"'] : [])],
                ['unit', this.unit()], [this.tape.pick(['additive', 'non-additive'])],
                ['aggregate', 'by', this.tape.pick(AGGREGATIONS)], this.owner()
            ]);
            this.emit('}');
        }
        this.declare('metric', name);
    }

    private client(): void {
        const name = this.id('cl');
        this.emit('client', name, ...this.title());
        if (this.tape.chance(60)) {
            this.emit('{');
            this.fields([['description', this.text()], ['contract', this.text()]]);
            this.emit('}');
        }
        this.declare('client', name);
    }

    private scale(): void {
        const name = this.id('sc');
        this.emit('rating', 'scale', name, ...this.title(), '{');
        if (this.tape.chance(70)) {
            this.emit(this.tape.pick(['stepped', 'interpolated']));
        }
        const levels = this.tape.choose(6);
        for (let i = levels; i > 0; i--) {
            this.emit('level', String(i), this.text(), 'from', `${i * 20}%`);
        }
        this.emit('}');
        this.declare('scale', name);
    }

    private department(): void {
        const name = this.id('dp');
        const parent = this.tape.chance(30) ? this.visibleOf('department') : undefined;
        this.emit('department', name, ...this.title(), '{');
        this.fields([...(parent ? [['part', 'of', parent.name]] : []), this.owner(), ['description', this.text()]]);
        const kras = this.tape.choose(3);
        for (let i = 0; i < kras; i++) {
            this.kra(name);
        }
        this.emit('}');
        this.declare('department', name);
    }

    private role(): void {
        const name = this.id('rl');
        const department = this.tape.chance(60) ? this.visibleOf('department') : undefined;
        this.emit('role', name, ...this.title(), ...(department ? ['in', department.name] : []), '{');
        const boss = this.visibleOf('role');
        const scale = this.visibleOf('scale');
        this.fields([
            ...(boss ? [['reports', 'to', boss.name]] : []), ['description', this.text()],
            ...(scale ? [['rated', 'on', scale.name]] : [])
        ]);
        const carried = this.tape.chance(50) ? this.visibleOf('kra') : undefined;
        if (carried) {
            this.emit('carries', carried.name, ...(this.tape.chance(70) ? ['weighted', ...this.quantity()] : []));
        }
        const kras = this.tape.choose(3);
        for (let i = 0; i < kras; i++) {
            this.kra(name);
        }
        this.emit('}');
        this.declare('role', name);
    }

    private kra(container: string | undefined): void {
        const id = this.id('kr');
        const name = container ? `${container}.${id}` : id;
        this.emit('kra', id, ...this.title(), '{');
        const aligns = this.tape.chance(70) ? this.visibleOf('objective') ?? this.visibleOf('kra') : undefined;
        this.fields([
            ['description', this.text()], this.owner(), ['perspective', this.perspective()],
            ...(aligns ? [['aligns', 'to', aligns.name]] : []),
            ['weight', ...this.quantity()], ['review', this.tape.pick(CADENCES)], ['last', 'reviewed', this.date()]
        ]);
        const scope: string[] = [];
        const kpis = this.tape.choose(4);
        for (let i = 0; i < kpis; i++) {
            const kpi = this.kpi(name, scope);
            scope.push(kpi.simple);
        }
        const measured = this.tape.chance(40) ? this.visibleOf('kpi') : undefined;
        if (measured) {
            this.emit('measured', 'by', measured.name, ...(this.tape.chance(70) ? ['weighted', ...this.quantity()] : []));
        }
        this.emit('}');
        this.declare('kra', name);
    }

    private kpi(container: string | undefined, scope: readonly string[]): { simple: string } {
        const id = this.id('kp');
        const name = container ? `${container}.${id}` : id;
        this.emit('kpi', id, ...this.title(), '{');
        const direction = this.tape.pick([['higher', 'is', 'better'], ['lower', 'is', 'better'], ['within', 'band', 'is', 'better']]);
        const fields: string[][] = [
            ...this.definition(scope),
            direction,
            ['baseline', ...this.quantity(), ...this.tape.pick([[], ['in', this.period()], ['as', 'of', this.date()]])],
            ['benchmark', ...this.quantity(), ...(this.tape.chance(50) ? ['from', this.text()] : [])],
            ['measured', this.tape.pick(CADENCES)], ['source', this.text()], this.owner(), ['weight', ...this.quantity()],
            ['perspective', this.perspective()], ['tags', this.text(), ...(this.tape.chance(50) ? [',', this.text()] : [])],
            ['review', this.tape.pick(CADENCES)], ['last', 'reviewed', this.date()]
        ];
        this.fields(fields);
        const variants = this.tape.choose(3) === 2 ? 1 : 0;
        for (let i = 0; i < variants; i++) {
            this.emit('variant', this.id('va'), ...this.title(), '{');
            for (const field of this.definition(scope).slice(0, this.tape.choose(4))) {
                this.emit(...field);
            }
            this.emit('}');
        }
        this.emit('}');
        this.declare('kpi', name);
        return { simple: id };
    }

    /** The fields a KPI and a variant share: description, formula, unit, targets, thresholds. */
    private definition(scope: readonly string[]): string[][] {
        const fields: string[][] = [['description', this.text()], ['formula', ...this.expression(1 + this.tape.choose(4), scope)], ['unit', this.unit()]];
        const targets = this.tape.choose(3);
        for (let i = 0; i < targets; i++) {
            fields.push(this.target());
        }
        if (this.tape.chance(60)) {
            fields.push(this.thresholds());
        }
        return fields;
    }

    private target(): string[] {
        const client = this.tape.chance(20) ? this.visibleOf('client') : undefined;
        const tokens = ['target', ...(client ? ['for', client.name] : [])];
        switch (this.tape.choose(3)) {
            case 0:
                tokens.push(...this.comparison());
                break;
            case 1:
                tokens.push('between', ...this.quantity(), 'and', ...this.quantity());
                break;
            default:
                tokens.push(this.tape.pick(['+', '-']), this.number(), ...(this.tape.chance(70) ? ['%'] : []),
                    ...this.tape.pick([['year', 'over', 'year'], ['from', 'baseline'], ['over', 'previous', 'period']]));
        }
        if (this.tape.chance(80)) {
            tokens.push(...this.timing());
            const stages = this.tape.choose(3);
            for (let i = 0; i < stages; i++) {
                tokens.push(',', ...this.quantity(), ...this.timing());
            }
        }
        return tokens;
    }

    private comparison(): string[] {
        return [...this.tape.pick([['at', 'least'], ['at', 'most'], ['above'], ['below'], ['exactly']]), ...this.quantity()];
    }

    private thresholds(): string[] {
        const tokens = ['thresholds'];
        const count = 1 + this.tape.choose(3);
        for (let i = 0; i < count; i++) {
            const condition = this.tape.pick([this.comparison(), ['between', ...this.quantity(), 'and', ...this.quantity()], ['otherwise']]);
            tokens.push(...(i > 0 ? [','] : []), this.tape.pick(['green', 'amber', 'red']), ...condition);
        }
        return tokens;
    }
}

function relativeImport(from: string, to: string): string {
    const fromDepth = from.split('/').length - 1;
    return `${fromDepth > 0 ? '../'.repeat(fromDepth) : './'}${to}`;
}

/** The tape a workspace is built from; shrinking it shrinks the workspace. */
export const tape = fc.array(fc.nat({ max: 0xFFFF }), { maxLength: 500, size: 'max' });

/** Valid workspaces (one to three files). */
export const validWorkspace: fc.Arbitrary<GeneratedWorkspace> = tape.map(numbers => new Builder(new Tape(numbers)).build());

/** CSV data for the given metrics: monthly rows, some broken down by team, some cells empty. */
export function dataArbitrary(metrics: readonly string[]): fc.Arbitrary<string> {
    const cell = fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: -100, max: 100_000 }).map(String) },
        { weight: 2, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).map(value => String(value)) },
        { weight: 1, arbitrary: fc.constant('') }
    );
    return fc.record({
        byTeam: fc.boolean(),
        rows: fc.array(fc.tuple(fc.integer({ min: 1, max: 12 }), fc.constantFrom('north', 'south'), fc.array(cell, { minLength: metrics.length, maxLength: metrics.length })), { maxLength: 12 })
    }).map(({ byTeam, rows }) => {
        const seen = new Set<string>();
        const lines = [['period', ...(byTeam ? ['team'] : []), ...metrics].join(',')];
        for (const [month, team, cells] of rows) {
            const key = byTeam ? `${month}/${team}` : `${month}`;
            if (seen.has(key)) {
                continue;
            }
            seen.add(key);
            lines.push([`2026-${String(month).padStart(2, '0')}`, ...(byTeam ? [team] : []), ...cells].join(','));
        }
        return `${lines.join('\n')}\n`;
    });
}
