/**
 * Generates a synthetic organisation in KRA Lang, deterministically from a seed, for the
 * benchmarks (bench/run.ts) and the smoke test (bench/smoke.ts).
 *
 *     npm run bench:generate -- --size S|M|L --out DIR [--seed N]
 *
 * Sizes: S 1,000 KPIs in ~50 files, M 10,000 KPIs in ~500 files, L 100,000 KPIs in ~5,000 files.
 * The shape follows examples/contact-centre: an organisation file (objectives, rating scale,
 * clients), metrics files, one file per department (KRAs with KPIs whose formulas use metrics of
 * other files through imports; `part of` and `measured by` reach the parent department), one
 * file per role (a carried department KRA plus the role's own KRAs, with weights). Department 0
 * is large (125 KPIs, about 2,000 lines): the file the language-server benchmark edits.
 *
 * A handful of deliberate rule violations are planted (listed in DIR/manifest.json), so the
 * checker has something to report; one of them is an error (weights/sum), so `kra build` needs
 * `--allow-errors`.
 *
 * It also writes the same content as YAML, one file per .kra file, into DIR/yaml/, and a JSON
 * Schema for that YAML (DIR/yaml/schema.json): what a team without this tool would keep.
 *
 * Runs on Node's own TypeScript support (no build step): node --experimental-transform-types.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';

// ---------------------------------------------------------------------------------------------
// The model both renderings come from (the YAML twin is this, nearly verbatim)
// ---------------------------------------------------------------------------------------------

type Size = 'S' | 'M' | 'L';
type Direction = 'higher' | 'lower';
type Perspective = 'customer' | 'financial' | 'internal_process' | 'people';

/** A number with the unit written after it in KRA Lang: `%`, `s`, `GBP`, `score`. */
interface Quantity { value: number; unit: string }

interface Timing { by?: string; in?: string; each?: string }

interface Target extends Timing {
    client?: string;
    comparator: 'at_least' | 'at_most' | 'change_year_over_year';
    value: number;
    unit: string;
    stages?: Array<Quantity & { in: string }>;
}

interface Threshold { status: 'green' | 'amber' | 'red'; comparator: 'at_least' | 'at_most' | 'above' | 'below'; value: number; unit: string }

interface Variant { id: string; title: string; description: string; formula: string; unit: string; targets?: Target[] }

interface Kpi {
    id: string;
    title: string;
    doc?: string;
    description: string;
    formula: string;
    unit: string;
    direction: Direction;
    baseline: Quantity & { in: string };
    benchmark?: Quantity & { source: string };
    targets: Target[];
    thresholds?: Threshold[];
    measured: 'daily' | 'weekly' | 'monthly';
    source: string;
    owner: string;
    weight: number;
    tags?: string[];
    variants?: Variant[];
}

interface MeasuredBy { kpi: string; weight: number }

interface Kra {
    id: string;
    title: string;
    doc?: string;
    description: string;
    owner: string;
    perspective: Perspective;
    aligns_to: string;
    weight: number;
    review: 'quarterly';
    last_reviewed: string;
    measured_by: MeasuredBy[];
    kpis: Kpi[];
}

interface Department { id: string; title: string; part_of?: string; owner: string; description: string; kras: Kra[] }

interface Role {
    id: string;
    title: string;
    in: string;
    reports_to?: string;
    description: string;
    rated_on: string;
    carries: Array<{ kra: string; weight: number }>;
    kras: Kra[];
}

interface Metric {
    id: string;
    title: string;
    description: string;
    source: string;
    field: string;
    unit: string;
    additive: boolean;
    aggregate_by: 'sum' | 'last';
    owner: string;
}

interface Objective { id: string; title: string; description: string; owner: string; perspective: Perspective; by: string }

interface OrgFile {
    organisation: {
        id: string; title: string; version: string; effective: string; fiscal_year_starts_in: string;
        review: string; currency: string; rated_on: string; description: string;
    };
    objectives: Objective[];
    rating_scales: Array<{ id: string; title: string; method: 'stepped'; levels: Array<{ value: number; label: string; from: Quantity }> }>;
    clients: Array<{ id: string; title: string; description: string; contract: string }>;
}

/** One file of the workspace: its path (relative, without extension), imports and declarations. */
interface SourceFile {
    path: string;
    header: string;
    imports: string[];
    org?: OrgFile;
    metrics?: Metric[];
    department?: Department;
    role?: Role;
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

/** mulberry32: a small, fast, well-distributed 32-bit generator. */
function prng(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6D2B79F5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

class Random {
    private readonly next: () => number;
    constructor(seed: number) {
        this.next = prng(seed);
    }
    int(min: number, max: number): number {
        return min + Math.floor(this.next() * (max - min + 1));
    }
    pick<T>(items: readonly T[]): T {
        return items[Math.floor(this.next() * items.length)];
    }
    chance(p: number): boolean {
        return this.next() < p;
    }
}

const pad = (n: number, width = 3) => String(n).padStart(width, '0');

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

/** The measures every metrics file declares (with its own suffix): [base, title, unit, system, field]. */
const METRIC_BASES: ReadonlyArray<readonly [string, string, string, string, string]> = [
    ['calls_offered', 'Calls offered', 'count', 'Genesys Cloud', 'queue.nOffered'],
    ['calls_handled', 'Calls handled', 'count', 'Genesys Cloud', 'queue.tHandle.count'],
    ['calls_in_sla', 'Calls answered within the service level', 'count', 'Genesys Cloud', 'queue.nAnsweredInThreshold'],
    ['calls_abandoned', 'Calls abandoned', 'count', 'Genesys Cloud', 'queue.nAbandon'],
    ['talk_secs', 'Talk time', 'seconds', 'Genesys Cloud', 'agent.tTalk'],
    ['hold_secs', 'Hold time', 'seconds', 'Genesys Cloud', 'agent.tHeld'],
    ['wrap_secs', 'After-call work time', 'seconds', 'Genesys Cloud', 'agent.tAcw'],
    ['issues_raised', 'Issues raised', 'count', 'Salesforce Service Cloud', 'case.count'],
    ['issues_fixed_first', 'Issues resolved on first contact', 'count', 'Salesforce Service Cloud', 'case.fcr'],
    ['cases_closed', 'Cases closed', 'count', 'Salesforce Service Cloud', 'case.closed'],
    ['cases_reopened', 'Cases reopened', 'count', 'Salesforce Service Cloud', 'case.reopened'],
    ['survey_responses', 'Survey responses', 'count', 'Qualtrics', 'survey.responses'],
    ['survey_satisfied', 'Satisfied survey answers', 'count', 'Qualtrics', 'survey.top2'],
    ['promoters', 'Promoters', 'count', 'Qualtrics', 'nps.promoters'],
    ['detractors', 'Detractors', 'count', 'Qualtrics', 'nps.detractors'],
    ['nps_answers', 'NPS answers', 'count', 'Qualtrics', 'nps.responses'],
    ['qa_points', 'Quality form points earned', 'count', 'Calabrio QM', 'evaluation.score'],
    ['qa_possible', 'Quality form points possible', 'count', 'Calabrio QM', 'evaluation.maxScore'],
    ['audits_done', 'Compliance audits done', 'count', 'Calabrio QM', 'audit.count'],
    ['audits_failed', 'Compliance audits failed', 'count', 'Calabrio QM', 'audit.failed'],
    ['scheduled_secs', 'Scheduled time', 'seconds', 'NICE WFM', 'schedule.tScheduled'],
    ['adherent_secs', 'Time in adherence', 'seconds', 'NICE WFM', 'schedule.tAdherent'],
    ['orders_received', 'Orders received', 'count', 'SAP S/4HANA', 'sales.orders'],
    ['orders_on_time', 'Orders shipped on time', 'count', 'SAP S/4HANA', 'sales.onTime'],
    ['invoices_issued', 'Invoices issued', 'count', 'SAP S/4HANA', 'billing.issued'],
    ['invoices_paid_on_time', 'Invoices paid on time', 'count', 'SAP S/4HANA', 'billing.paidOnTime'],
    ['complaints', 'Complaints logged', 'count', 'Salesforce Service Cloud', 'complaint.count'],
    ['trainings_due', 'Training modules due', 'count', 'Docebo', 'enrolment.due'],
    ['trainings_done', 'Training modules completed on time', 'count', 'Docebo', 'enrolment.completedOnTime'],
    ['leavers', 'Leavers', 'count', 'Workday', 'worker.terminations'],
    ['headcount', 'Headcount', 'count', 'Workday', 'worker.headcount'],
    ['revenue', 'Revenue', 'GBP', 'SAP S/4HANA', 'finance.revenue'],
    ['operating_cost', 'Operating cost', 'GBP', 'SAP S/4HANA', 'finance.opex']
];

/** A KPI shape: which metrics its formula uses and how its figures look. */
interface KpiTemplate {
    id: string;
    title: string;
    description: string;
    metrics: string[];
    formula: (m: (base: string) => string) => string;
    unit: string;
    direction: Direction;
    kind: 'share' | 'low-share' | 'time' | 'money' | 'score' | 'growth';
}

const TEMPLATES: readonly KpiTemplate[] = [
    { id: 'service_level', title: 'Service level', description: 'Share of offered calls that an agent answers within the contracted threshold, per day.', metrics: ['calls_in_sla', 'calls_offered'], formula: m => `safe_ratio(${m('calls_in_sla')}, ${m('calls_offered')})`, unit: '%', direction: 'higher', kind: 'share' },
    { id: 'abandon_rate', title: 'Abandonment rate', description: 'Share of offered calls where the caller hung up in the queue before reaching an agent.', metrics: ['calls_abandoned', 'calls_offered'], formula: m => `safe_ratio(${m('calls_abandoned')}, ${m('calls_offered')})`, unit: '%', direction: 'lower', kind: 'low-share' },
    { id: 'aht', title: 'Average handle time', description: 'Mean seconds from answer to the end of wrap-up per handled call, hold included.', metrics: ['talk_secs', 'hold_secs', 'wrap_secs', 'calls_handled'], formula: m => `safe_ratio(${m('talk_secs')} + ${m('hold_secs')} + ${m('wrap_secs')}, ${m('calls_handled')})`, unit: 's', direction: 'lower', kind: 'time' },
    { id: 'fcr', title: 'First contact resolution', description: 'Share of customer issues resolved on the first contact, with no repeat contact within 7 days.', metrics: ['issues_fixed_first', 'issues_raised'], formula: m => `safe_ratio(${m('issues_fixed_first')}, ${m('issues_raised')})`, unit: '%', direction: 'higher', kind: 'share' },
    { id: 'reopen_rate', title: 'Case reopen rate', description: 'Share of closed cases that customers reopened because the fix did not hold.', metrics: ['cases_reopened', 'cases_closed'], formula: m => `safe_ratio(${m('cases_reopened')}, ${m('cases_closed')})`, unit: '%', direction: 'lower', kind: 'low-share' },
    { id: 'csat', title: 'Customer satisfaction', description: 'Share of post-contact survey answers rating the contact 4 or 5 out of 5.', metrics: ['survey_satisfied', 'survey_responses'], formula: m => `safe_ratio(${m('survey_satisfied')}, ${m('survey_responses')})`, unit: '%', direction: 'higher', kind: 'share' },
    { id: 'nps', title: 'Net promoter score', description: 'Percentage of promoters minus percentage of detractors among customers asked to recommend the brand.', metrics: ['promoters', 'detractors', 'nps_answers'], formula: m => `(safe_ratio(${m('promoters')}, ${m('nps_answers')}) - safe_ratio(${m('detractors')}, ${m('nps_answers')})) * 100`, unit: 'score', direction: 'higher', kind: 'score' },
    { id: 'qa_score', title: 'Call audit score', description: 'Points scored on the call evaluation form as a share of the points possible, over audited calls.', metrics: ['qa_points', 'qa_possible'], formula: m => `safe_ratio(${m('qa_points')}, ${m('qa_possible')})`, unit: '%', direction: 'higher', kind: 'share' },
    { id: 'audit_fail_rate', title: 'Audit failure rate', description: 'Share of compliance audits that found a breach of the data-protection or payment-card rules.', metrics: ['audits_failed', 'audits_done'], formula: m => `safe_ratio(${m('audits_failed')}, ${m('audits_done')})`, unit: '%', direction: 'lower', kind: 'low-share' },
    { id: 'adherence', title: 'Schedule adherence', description: 'Share of scheduled seconds agents spent in the activity the schedule planned for them.', metrics: ['adherent_secs', 'scheduled_secs'], formula: m => `safe_ratio(${m('adherent_secs')}, ${m('scheduled_secs')})`, unit: '%', direction: 'higher', kind: 'share' },
    { id: 'on_time_orders', title: 'Orders shipped on time', description: 'Share of customer orders shipped by the promised date, per week.', metrics: ['orders_on_time', 'orders_received'], formula: m => `safe_ratio(${m('orders_on_time')}, ${m('orders_received')})`, unit: '%', direction: 'higher', kind: 'share' },
    { id: 'paid_on_time', title: 'Invoices paid on time', description: 'Share of invoices that clients paid within their payment terms.', metrics: ['invoices_paid_on_time', 'invoices_issued'], formula: m => `safe_ratio(${m('invoices_paid_on_time')}, ${m('invoices_issued')})`, unit: '%', direction: 'higher', kind: 'share' },
    { id: 'complaint_rate', title: 'Complaint rate', description: 'Complaints logged per order received: each one costs a callback and often a goodwill credit.', metrics: ['complaints', 'orders_received'], formula: m => `safe_ratio(${m('complaints')}, ${m('orders_received')})`, unit: '%', direction: 'lower', kind: 'low-share' },
    { id: 'training_done', title: 'Training completion', description: 'Share of assigned training modules completed by their due date.', metrics: ['trainings_done', 'trainings_due'], formula: m => `safe_ratio(${m('trainings_done')}, ${m('trainings_due')})`, unit: '%', direction: 'higher', kind: 'share' },
    { id: 'attrition', title: 'Attrition', description: 'Leavers as a share of average headcount over the period, voluntary and involuntary.', metrics: ['leavers', 'headcount'], formula: m => `safe_ratio(${m('leavers')}, ${m('headcount')})`, unit: '%', direction: 'lower', kind: 'low-share' },
    { id: 'cost_per_call', title: 'Cost per call', description: 'Operating cost of the programme divided by the calls it handled, in pounds.', metrics: ['operating_cost', 'calls_handled'], formula: m => `safe_ratio(${m('operating_cost')}, ${m('calls_handled')})`, unit: 'GBP', direction: 'lower', kind: 'money' },
    { id: 'revenue_growth', title: 'Revenue', description: 'Revenue invoiced to clients for the programme, before credits, in pounds.', metrics: ['revenue'], formula: m => m('revenue'), unit: 'GBP', direction: 'higher', kind: 'growth' }
];

const KRA_NAMES: ReadonlyArray<readonly [string, string, string]> = [
    ['service', 'Service performance', 'Customers reach an agent quickly and leave with their issue resolved on the first contact.'],
    ['experience', 'Customer experience', 'Callers rate the contact well and come away more likely to recommend the brand.'],
    ['cost', 'Cost to serve', 'Each contact costs less to handle while the contract margin holds.'],
    ['people', 'People and capability', 'Agents are trained on time, stay with us and pass their product checks.'],
    ['compliance', 'Compliance', 'Every audited contact follows the data-protection and payment-card rules.'],
    ['growth', 'Revenue growth', 'Clients buy more hours and programmes from us each quarter.'],
    ['planning', 'Planning and scheduling', 'Staffing matches demand in every half-hour interval and agents keep to their schedule.'],
    ['fulfilment', 'Order fulfilment', 'Orders leave the warehouse by the date the customer was promised.'],
    ['billing', 'Billing and collections', 'Invoices go out correct and clients pay within their terms.'],
    ['retention', 'Staff retention', 'Fewer agents leave in their first year, so teams keep their experience.']
];

const PERSPECTIVES: readonly Perspective[] = ['customer', 'internal_process', 'financial', 'people'];
const OBJECTIVE_OF: Record<Perspective, string> = {
    customer: 'delight_customers', internal_process: 'run_efficiently', financial: 'grow_profitably', people: 'build_capability'
};

const AREAS = ['claims', 'billing', 'collections', 'sales', 'retention', 'workforce', 'quality', 'training', 'finance', 'people',
    'it_service', 'facilities', 'procurement', 'compliance', 'analytics', 'marketing', 'logistics', 'care', 'onboarding', 'payments'];
const JOBS = ['agent', 'team_leader', 'analyst', 'specialist', 'coordinator', 'advisor', 'supervisor', 'planner', 'trainer', 'auditor'];
const SITES = ['Leeds', 'Cebu', 'Durban', 'Krakow', 'Glasgow', 'Manila', 'Cairo', 'Belfast'];
const CLIENTS = ['globex', 'initech', 'umbrella'];

// ---------------------------------------------------------------------------------------------
// Building the organisation
// ---------------------------------------------------------------------------------------------

export interface GenerateOptions { size: Size; seed?: number }

export interface Violation { file: string; rule: string; what: string }

export interface Generated {
    files: SourceFile[];
    violations: Violation[];
    counts: { files: number; departments: number; roles: number; metrics: number; kras: number; kpis: number };
    /** The large department file (about 2,000 lines) that the language-server benchmark edits. */
    bigFile: string;
}

const SIZE_FACTOR: Record<Size, number> = { S: 1, M: 10, L: 100 };
const BIG_KRAS = 25;
const KPIS_PER_KRA = 5;
const KRAS_PER_DEPARTMENT = 6;
const DEPARTMENT_KRA_WEIGHTS = [20, 20, 15, 15, 15, 15];
const KPI_WEIGHTS = [30, 20, 20, 15, 15];
const ROLE_OWN_KRAS = 3;

/** The seed a size uses unless one is given. */
export function seedOf(options: GenerateOptions): number {
    return options.seed ?? 20261001 + SIZE_FACTOR[options.size];
}

export function generate(options: GenerateOptions): Generated {
    const factor = SIZE_FACTOR[options.size];
    const random = new Random(seedOf(options));
    const totalKpis = 1000 * factor;
    const metricFileCount = 5 * factor;
    const roleCount = 10 * factor;
    const roleKpis = roleCount * ROLE_OWN_KRAS * 2;
    // Department 0 holds BIG_KRAS × 5 KPIs; the others 6 KRAs × 5 KPIs, the last one fewer.
    const departmentKpis = totalKpis - roleKpis - BIG_KRAS * KPIS_PER_KRA;

    const violations: Violation[] = [];
    const files: SourceFile[] = [];
    const counts = { files: 0, departments: 0, roles: roleCount, metrics: 0, kras: 0, kpis: 0 };

    // --- organisation -------------------------------------------------------------------------
    files.push({
        path: 'organisation',
        header: 'The organisation, its objectives for the year, the appraisal scale and the clients whose contracts set some targets.',
        imports: [],
        org: organisationFile()
    });

    // --- metrics ------------------------------------------------------------------------------
    const metricId = (file: number, base: string) => `${base}_${pad(file)}`;
    for (let f = 0; f < metricFileCount; f++) {
        const metrics: Metric[] = METRIC_BASES.map(([base, title, unit, system, field]) => ({
            id: metricId(f, base),
            title: `${title} (${SITES[f % SITES.length]} ${pad(f)})`,
            description: `${title} as the ${system} feed of site group ${pad(f)} reports it, per interval.`,
            source: system,
            field,
            unit: unit === 'seconds' ? 'seconds' : unit,
            additive: base !== 'headcount',
            aggregate_by: base === 'headcount' ? 'last' : 'sum',
            owner: `${system} administrator`
        }));
        if (f === 0) {
            metrics.push({
                id: 'legacy_ivr_minutes', title: 'IVR minutes (legacy)', description: 'Minutes callers spent in the old IVR tree before the 2025 replatforming.',
                source: 'Avaya CMS', field: 'vdn.ivrTime', unit: 'seconds', additive: true, aggregate_by: 'sum', owner: 'Telephony administrator'
            });
            violations.push({ file: 'metrics/metrics_000.kra', rule: 'metrics/unused', what: 'legacy_ivr_minutes is used by no formula' });
        }
        counts.metrics += metrics.length;
        files.push({
            path: `metrics/metrics_${pad(f)}`,
            header: `Raw measures of site group ${pad(f)}: one declaration per field read from a source system.`,
            imports: [],
            metrics
        });
    }

    // --- departments --------------------------------------------------------------------------
    const departmentIds: string[] = [];
    const departmentKras: string[][] = [];
    const firstKpi: string[] = [];
    let kpisLeft = departmentKpis;
    for (let d = 0; d === 0 || kpisLeft > 0; d++) {
        const id = d === 0 ? 'operations' : `${AREAS[(d - 1) % AREAS.length]}_${pad(d)}`;
        departmentIds.push(id);
        const parent = d === 0 ? undefined : Math.floor((d - 1) / 8);
        const metricFiles = [d % metricFileCount, (d * 7 + 3) % metricFileCount];
        // Every department but the first has a parent, whose first KPI its last KRA also counts.
        const ownCapacity = (kras: number) => kras * KPIS_PER_KRA - 1;
        let kraCount = KRAS_PER_DEPARTMENT;
        while (d > 0 && kraCount > 1 && ownCapacity(kraCount - 1) >= kpisLeft) {
            kraCount--;
        }
        if (d === 0) {
            kraCount = BIG_KRAS;
        }
        let kpisInDepartment = d === 0 ? BIG_KRAS * KPIS_PER_KRA : Math.min(kpisLeft, ownCapacity(kraCount));
        if (d > 0) {
            kpisLeft -= kpisInDepartment;
        }
        const kraWeights = d === 0 ? Array(BIG_KRAS).fill(4) as number[] : splitWeights(kraCount, DEPARTMENT_KRA_WEIGHTS);
        const kras: Kra[] = [];
        for (let k = 0; k < kraCount; k++) {
            const [kraBase, kraTitle, kraDescription] = KRA_NAMES[k % KRA_NAMES.length];
            const suffix = k >= KRA_NAMES.length ? `_${Math.floor(k / KRA_NAMES.length) + 1}` : '';
            const perspective = PERSPECTIVES[(k + d) % PERSPECTIVES.length];
            // The last KRA of a department with a parent also counts the parent's first KPI.
            const measuredBy: MeasuredBy[] = parent !== undefined && k === kraCount - 1 ? [{ kpi: firstKpi[parent], weight: 15 }] : [];
            const own = Math.min(kpisInDepartment, KPIS_PER_KRA - measuredBy.length);
            kpisInDepartment -= own;
            const weights = measuredBy.length > 0 ? [30, 25, 15, 15].slice(0, own) : KPI_WEIGHTS.slice(0, own);
            fixWeights(weights, 100 - measuredBy.reduce((sum, m) => sum + m.weight, 0));
            const kpis: Kpi[] = [];
            for (let i = 0; i < own; i++) {
                const template = TEMPLATES[(d * 3 + k * 5 + i * 7) % TEMPLATES.length];
                const unique = kpis.some(kpi => kpi.id === template.id) ? `${template.id}_${i}` : template.id;
                const file = metricFiles[i % 2];
                kpis.push(makeKpi(random, template, unique, m => metricId(file, m), weights[i], `${SITES[d % SITES.length]} ${id.replace(/_\d+$/, '')} manager`));
            }
            // Every other KRA smooths its first KPI over 30 days (a local, simple-name reference).
            if (k % 2 === 1 && kpis.length === KPIS_PER_KRA && kpis[0].unit === '%') {
                const base = kpis[0];
                const smoothed = kpis[KPIS_PER_KRA - 1];
                Object.assign(smoothed, {
                    id: `${base.id}_30d`, title: `${base.title}, rolling 30 days`,
                    description: `${base.title} over the last 30 days, which evens out the swings of single busy days.`,
                    formula: `${base.id} over rolling 30 days`, unit: base.unit, direction: base.direction,
                    baseline: { ...base.baseline }, targets: base.targets.map(t => ({ ...t, client: undefined })).slice(0, 1),
                    thresholds: base.thresholds, benchmark: undefined, variants: undefined, tags: ['smoothed']
                } satisfies Partial<Kpi>);
            }
            kras.push({
                id: `${kraBase}${suffix}`,
                title: suffix ? `${kraTitle} ${suffix.slice(1)}` : kraTitle,
                doc: k === 0 ? `What ${id} is measured on first. Reviewed with the client every quarter.` : undefined,
                description: kraDescription,
                owner: `Head of ${id.replace(/_\d+$/, '').replace(/_/g, ' ')}`,
                perspective,
                aligns_to: OBJECTIVE_OF[perspective],
                weight: kraWeights[k],
                review: 'quarterly',
                last_reviewed: `2026-03-${pad(10 + (k % 18), 2)}`,
                measured_by: measuredBy,
                kpis
            });
            counts.kras++;
            counts.kpis += kpis.length;
        }
        departmentKras.push(kras.map(kra => kra.id));
        firstKpi.push(`${id}.${kras[0].id}.${kras[0].kpis[0].id}`);
        const imports = ['../organisation.kra', ...new Set(metricFiles.map(f => `../metrics/metrics_${pad(f)}.kra`))];
        if (parent !== undefined) {
            imports.push(`./dept_${pad(parent)}.kra`);
        }
        const department: Department = {
            id,
            title: d === 0 ? 'Operations' : `${capitalise(AREAS[(d - 1) % AREAS.length].replace(/_/g, ' '))} ${pad(d)}`,
            part_of: parent !== undefined ? departmentIds[parent] : undefined,
            owner: `Head of ${id.replace(/_\d+$/, '').replace(/_/g, ' ')}`,
            description: `Runs ${id.replace(/_\d+$/, '').replace(/_/g, ' ')} for ${random.int(3, 12)} client programmes from ${SITES[d % SITES.length]}, about ${random.int(40, 400)} people.`,
            kras
        };
        files.push({ path: `departments/dept_${pad(d)}`, header: `Department ${id}: its KRAs and the KPIs that measure them.`, imports, department });
    }

    const departmentCount = departmentIds.length;
    counts.departments = departmentCount;

    // --- roles --------------------------------------------------------------------------------
    for (let r = 0; r < roleCount; r++) {
        const d = r % departmentCount;
        const department = departmentIds[d];
        const kraIds = departmentKras[d];
        const metricFile = r % metricFileCount;
        const id = `${JOBS[r % JOBS.length]}_${pad(r)}`;
        const parentRole = r === 0 ? undefined : Math.floor((r - 1) / 4);
        const kras: Kra[] = [];
        for (let k = 0; k < ROLE_OWN_KRAS; k++) {
            const perspective = PERSPECTIVES[(r + k + 1) % PERSPECTIVES.length];
            const target = kraIds[(k + 1) % kraIds.length];
            const departmentKra = (files.find(file => file.department?.id === department)!.department!.kras).find(kra => kra.id === target)!;
            const kpis: Kpi[] = [];
            for (let i = 0; i < 2; i++) {
                const template = TEMPLATES[(r * 5 + k * 3 + i * 11 + 1) % TEMPLATES.length];
                const unique = kpis.some(kpi => kpi.id === template.id) ? `${template.id}_${i}` : template.id;
                kpis.push(makeKpi(random, template, `my_${unique}`, m => metricId(metricFile, m), 30, 'Team leader'));
            }
            kras.push({
                id: `${['delivery', 'growth', 'craft'][k]}`,
                title: ['Personal delivery', 'Growing the account', 'Craft and learning'][k],
                description: [
                    'The role holder meets the contact volumes and service times agreed for their queue each week.',
                    'The accounts this role serves renew, and clients add programmes after quarterly reviews.',
                    'The role holder completes assigned training on time and scores well in monthly product checks.'
                ][k],
                owner: 'Team leader',
                perspective,
                aligns_to: `${department}.${target}`,
                weight: 20,
                review: 'quarterly',
                last_reviewed: `2026-03-${pad(12 + k, 2)}`,
                measured_by: [{ kpi: `${department}.${target}.${departmentKra.kpis[0].id}`, weight: 40 }],
                kpis
            });
            counts.kras++;
            counts.kpis += kpis.length;
        }
        const imports = ['../organisation.kra', `../departments/dept_${pad(d)}.kra`, `../metrics/metrics_${pad(metricFile)}.kra`];
        if (parentRole !== undefined) {
            imports.push(`./role_${pad(parentRole)}.kra`);
        }
        const role: Role = {
            id,
            title: `${capitalise(JOBS[r % JOBS.length].replace(/_/g, ' '))} ${pad(r)}`,
            in: department,
            reports_to: parentRole !== undefined ? `${JOBS[parentRole % JOBS.length]}_${pad(parentRole)}` : undefined,
            description: `Works on the ${department.replace(/_\d+$/, '').replace(/_/g, ' ')} programmes from ${SITES[r % SITES.length]}, on shifts planned four weeks ahead.`,
            rated_on: 'five_point',
            carries: [{ kra: `${department}.${kraIds[0]}`, weight: 40 }],
            kras
        };
        files.push({ path: `roles/role_${pad(r)}`, header: `Role ${id}.`, imports, role });
    }

    plantViolations(files, violations);
    counts.files = files.length;
    return { files, violations, counts, bigFile: 'departments/dept_000.kra' };
}

function organisationFile(): OrgFile {
    return {
        organisation: {
            id: 'northwind', title: 'Northwind Contact Services', version: '2026.1', effective: '2026-04-01', fiscal_year_starts_in: 'april',
            review: 'quarterly', currency: 'GBP', rated_on: 'five_point',
            description: 'Outsourced customer service for consumer brands, run from several sites with thousands of staff.'
        },
        objectives: [
            { id: 'delight_customers', title: 'Customers get their issue solved quickly and courteously', description: 'Callers are treated well and leave with their issue fixed, so they would recommend our clients\' brands.', owner: 'Chief Operating Officer', perspective: 'customer', by: '2027-03-31' },
            { id: 'grow_profitably', title: 'Grow revenue while improving margin', description: 'Revenue grows by at least 8% a year from new programmes while cost per call falls.', owner: 'Chief Financial Officer', perspective: 'financial', by: '2027-03-31' },
            { id: 'run_efficiently', title: 'Plan and run the floor efficiently', description: 'Staffing matches demand in every interval and the back office runs without rework.', owner: 'Chief Operating Officer', perspective: 'internal_process', by: '2027-03-31' },
            { id: 'build_capability', title: 'Build a skilled and stable workforce', description: 'Training classes fill on time, new agents reach proficiency fast and avoidable attrition falls by a third.', owner: 'Chief People Officer', perspective: 'people', by: '2027-03-31' }
        ],
        rating_scales: [{
            id: 'five_point', title: 'Five-point appraisal scale', method: 'stepped',
            levels: [
                { value: 5, label: 'Outstanding', from: { value: 120, unit: '%' } },
                { value: 4, label: 'Exceeds expectations', from: { value: 105, unit: '%' } },
                { value: 3, label: 'Meets expectations', from: { value: 95, unit: '%' } },
                { value: 2, label: 'Partly meets expectations', from: { value: 80, unit: '%' } },
                { value: 1, label: 'Does not meet expectations', from: { value: 0, unit: '%' } }
            ]
        }],
        clients: [
            { id: 'globex', title: 'Globex Retail', description: 'Order and returns enquiries for a fashion retailer, seven days a week.', contract: 'MSA-2024-017, schedule B (service levels)' },
            { id: 'initech', title: 'Initech Telecom', description: 'Billing and technical support for a mobile network.', contract: 'MSA-2025-003, schedule 4 (KPIs)' },
            { id: 'umbrella', title: 'Umbrella Insurance', description: 'First notification of loss for home and motor claims.', contract: 'MSA-2025-011, annex 2' }
        ]
    };
}

function makeKpi(random: Random, template: KpiTemplate, id: string, metric: (base: string) => string, weight: number, owner: string): Kpi {
    const kpi: Kpi = {
        id, title: template.title, description: template.description, formula: template.formula(metric), unit: template.unit,
        direction: template.direction, baseline: { value: 0, unit: template.unit, in: '2026-Q1' }, targets: [],
        measured: random.pick(['daily', 'weekly', 'monthly'] as const), source: '', owner, weight
    };
    const deadline = random.pick(['2026-12-31', '2027-03-31']);
    switch (template.kind) {
        case 'share': {
            const baseline = random.int(60, 85);
            const target = baseline + random.int(2, 4);
            kpi.baseline.value = baseline;
            if (random.chance(0.3)) {
                kpi.targets.push({ comparator: 'at_least', value: target - 1, unit: '%', in: '2026-Q3', stages: [{ value: target, unit: '%', in: '2026-Q4' }] });
            } else {
                kpi.targets.push({ comparator: 'at_least', value: target, unit: '%', by: deadline });
            }
            if (random.chance(0.25)) {
                kpi.targets.push({ client: random.pick(CLIENTS), comparator: 'at_least', value: target + 1, unit: '%', by: '2027-03-31' });
            }
            kpi.thresholds = [
                { status: 'green', comparator: 'at_least', value: target, unit: '%' },
                { status: 'amber', comparator: 'at_least', value: target - 6, unit: '%' },
                { status: 'red', comparator: 'below', value: target - 6, unit: '%' }
            ];
            if (random.chance(0.3)) {
                kpi.benchmark = { value: Math.min(95, target + 2), unit: '%', source: 'Contact Babel UK 2025' };
            }
            break;
        }
        case 'low-share': {
            const baseline = random.int(6, 14);
            const target = baseline - random.int(1, 2);
            kpi.baseline.value = baseline;
            kpi.targets.push({ comparator: 'at_most', value: target, unit: '%', by: deadline });
            kpi.thresholds = [
                { status: 'green', comparator: 'at_most', value: target, unit: '%' },
                { status: 'amber', comparator: 'at_most', value: target + 3, unit: '%' },
                { status: 'red', comparator: 'above', value: target + 3, unit: '%' }
            ];
            break;
        }
        case 'time': {
            const baseline = random.int(300, 480);
            const target = baseline - random.int(10, 20);
            kpi.baseline.value = baseline;
            kpi.targets.push({ comparator: 'at_most', value: target, unit: 's', by: deadline });
            if (random.chance(0.3)) {
                kpi.targets.push({ client: random.pick(CLIENTS), comparator: 'at_most', value: target - 10, unit: 's', by: '2027-03-31' });
            }
            kpi.thresholds = [
                { status: 'green', comparator: 'at_most', value: target, unit: 's' },
                { status: 'amber', comparator: 'at_most', value: target + 40, unit: 's' },
                { status: 'red', comparator: 'above', value: target + 40, unit: 's' }
            ];
            break;
        }
        case 'money': {
            const baseline = random.int(30, 60) / 10;
            const target = Math.round((baseline - 0.2) * 10) / 10;
            kpi.baseline.value = baseline;
            kpi.targets.push({ comparator: 'at_most', value: target, unit: 'GBP', by: deadline });
            kpi.thresholds = [
                { status: 'green', comparator: 'at_most', value: target, unit: 'GBP' },
                { status: 'amber', comparator: 'at_most', value: Math.round((baseline + 0.5) * 10) / 10, unit: 'GBP' },
                { status: 'red', comparator: 'above', value: Math.round((baseline + 0.5) * 10) / 10, unit: 'GBP' }
            ];
            break;
        }
        case 'score': {
            const baseline = random.int(-5, 20);
            const target = baseline + random.int(3, 5);
            kpi.baseline.value = baseline;
            kpi.targets.push({ comparator: 'at_least', value: target, unit: 'score', by: deadline });
            kpi.thresholds = [
                { status: 'green', comparator: 'at_least', value: target, unit: 'score' },
                { status: 'amber', comparator: 'at_least', value: target - 5, unit: 'score' },
                { status: 'red', comparator: 'below', value: target - 5, unit: 'score' }
            ];
            break;
        }
        case 'growth': {
            kpi.baseline.value = random.int(200, 900) * 1000;
            kpi.targets.push({ comparator: 'change_year_over_year', value: random.int(5, 9), unit: '%', by: '2027-03-31' });
            break;
        }
    }
    kpi.source = `${template.kind === 'growth' || template.kind === 'money' ? 'SAP S/4HANA' : 'Genesys Cloud'} ${template.title.toLowerCase()} report`;
    if (random.chance(0.2)) {
        kpi.tags = ['client-sla'];
    }
    if (template.kind === 'share' && random.chance(0.1)) {
        kpi.variants = [{
            id: 'excluding_transfers', title: `${template.title}, transfers excluded`,
            description: 'As two client contracts define it: contacts transferred to another queue do not count.',
            formula: kpi.formula, unit: kpi.unit
        }];
    }
    if (random.chance(0.05)) {
        kpi.doc = `${template.title}: a contract KPI; service credits apply below the red threshold.`;
    }
    return kpi;
}

/** Weights for `count` KRAs from `preferred`, adjusted so they add up to 100. */
function splitWeights(count: number, preferred: readonly number[]): number[] {
    const weights = preferred.slice(0, count);
    fixWeights(weights, 100);
    return weights;
}

function fixWeights(weights: number[], total: number): void {
    const sum = weights.reduce((a, b) => a + b, 0);
    if (weights.length > 0 && sum !== total) {
        weights[0] += total - sum;
    }
}

/** A handful of deliberate problems, in fixed places, for the checker to find. */
function plantViolations(files: SourceFile[], violations: Violation[]): void {
    const departments = files.filter(file => file.department);
    const at = (n: number) => departments[Math.min(n, departments.length - 1)];
    const kra = (n: number) => at(n).department!.kras[1];
    const firstShare = (n: number) => kra(n).kpis.find(kpi => kpi.unit === '%' && kpi.direction === 'higher' && !kpi.formula.includes(' over '))
        ?? kra(n).kpis[0];
    const record = (n: number, rule: string, what: string) => violations.push({ file: `${at(n).path}.kra`, rule, what });

    // weights/sum (error): the KPI weights of a KRA add up to 95 %.
    kra(1).kpis[kra(1).kpis.length - 1].weight -= 5;
    record(1, 'weights/sum', `KPI weights of ${at(1).department!.id}.${kra(1).id} add up to 95%`);

    // units/percent-scale (warning): a ratio multiplied by 100 on a % KPI.
    const scaled = firstShare(2);
    scaled.formula = `${scaled.formula} * 100`;
    record(2, 'units/percent-scale', `${scaled.id} multiplies a ratio by 100`);

    // formula/zero-division (warning): bare division by a count.
    const divided = firstShare(3);
    divided.formula = divided.formula.replace(/^safe_ratio\((\w+), (\w+)\)/, '$1 / $2');
    record(3, 'formula/zero-division', `${divided.id} divides by a count with /`);

    // smart/achievable (warning): a target on the wrong side of the baseline.
    const backwards = firstShare(4);
    backwards.targets = [{ comparator: 'at_least', value: backwards.baseline.value - 5, unit: '%', by: '2026-12-31' }];
    record(4, 'smart/achievable', `${backwards.id} targets less than its baseline`);

    // smart/time-bound (warning): a target without a deadline.
    const open = firstShare(5);
    open.targets = [{ ...open.targets[0], by: undefined, in: undefined, stages: undefined }];
    record(5, 'smart/time-bound', `${open.id} has a target without a deadline`);

    // smart/specific (warning): a description made of vague words.
    const vague = kra(6).kpis[1];
    vague.description = 'Improve quality and performance.';
    record(6, 'smart/specific', `${vague.id} has a vague description`);
}

// ---------------------------------------------------------------------------------------------
// Rendering: KRA Lang
// ---------------------------------------------------------------------------------------------

const str = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const qty = (q: Quantity) => (q.unit === '%' ? `${q.value}%` : `${q.value} ${q.unit}`);
const COMPARATOR_WORDS: Record<string, string> = { at_least: 'at least', at_most: 'at most', above: 'above', below: 'below' };

function timing(t: Timing): string {
    return t.by ? ` by ${t.by}` : t.in ? ` in ${t.in}` : t.each ? ` each ${t.each}` : '';
}

function targetText(t: Target): string {
    const client = t.client ? `for ${t.client} ` : '';
    if (t.comparator === 'change_year_over_year') {
        return `target ${client}+${t.value}% year over year${timing(t)}`;
    }
    const stages = (t.stages ?? []).map(s => `, ${qty(s)} in ${s.in}`).join('');
    return `target ${client}${COMPARATOR_WORDS[t.comparator]} ${qty(t)}${timing(t)}${stages}`;
}

function renderKpi(kpi: Kpi, indent: string, out: string[]): void {
    const i = `${indent}  `;
    if (kpi.doc) {
        out.push(`${indent}/** ${kpi.doc} */`);
    }
    out.push(`${indent}kpi ${kpi.id} ${str(kpi.title)} {`);
    out.push(`${i}description ${str(kpi.description)}`);
    out.push(`${i}formula ${kpi.formula}`);
    out.push(`${i}unit ${kpi.unit}`);
    out.push(`${i}${kpi.direction} is better`);
    out.push(`${i}baseline ${qty(kpi.baseline)} in ${kpi.baseline.in}`);
    if (kpi.benchmark) {
        out.push(`${i}benchmark ${qty(kpi.benchmark)} from ${str(kpi.benchmark.source)}`);
    }
    for (const target of kpi.targets) {
        out.push(`${i}${targetText(target)}`);
    }
    if (kpi.thresholds) {
        out.push(`${i}thresholds ${kpi.thresholds.map(t => `${t.status} ${COMPARATOR_WORDS[t.comparator]} ${qty(t)}`).join(', ')}`);
    }
    out.push(`${i}measured ${kpi.measured}`);
    out.push(`${i}source ${str(kpi.source)}`);
    out.push(`${i}owner ${str(kpi.owner)}`);
    out.push(`${i}weight ${kpi.weight}%`);
    if (kpi.tags) {
        out.push(`${i}tags ${kpi.tags.map(str).join(', ')}`);
    }
    for (const variant of kpi.variants ?? []) {
        out.push('', `${i}variant ${variant.id} ${str(variant.title)} {`);
        out.push(`${i}  description ${str(variant.description)}`);
        out.push(`${i}  formula ${variant.formula}`);
        out.push(`${i}  unit ${variant.unit}`);
        out.push(`${i}}`);
    }
    out.push(`${indent}}`);
}

function renderKra(kra: Kra, indent: string, out: string[]): void {
    const i = `${indent}  `;
    if (kra.doc) {
        out.push(`${indent}/** ${kra.doc} */`);
    }
    out.push(`${indent}kra ${kra.id} ${str(kra.title)} {`);
    out.push(`${i}description ${str(kra.description)}`);
    out.push(`${i}owner ${str(kra.owner)}`);
    out.push(`${i}perspective ${kra.perspective}`);
    out.push(`${i}aligns to ${kra.aligns_to}`);
    out.push(`${i}weight ${kra.weight}%`);
    out.push(`${i}review ${kra.review}`);
    out.push(`${i}last reviewed ${kra.last_reviewed}`);
    for (const measured of kra.measured_by) {
        out.push(`${i}measured by ${measured.kpi} weighted ${measured.weight}%`);
    }
    for (const kpi of kra.kpis) {
        out.push('');
        renderKpi(kpi, i, out);
    }
    out.push(`${indent}}`);
}

export function renderKraFile(file: SourceFile): string {
    const out: string[] = [`// ${file.header}`, ''];
    for (const imported of file.imports) {
        out.push(`import ${str(imported)}`);
    }
    if (file.imports.length > 0) {
        out.push('');
    }
    if (file.org) {
        const { organisation: o, objectives, rating_scales, clients } = file.org;
        out.push(`organisation ${o.id} ${str(o.title)} {`, `  version ${str(o.version)}`, `  effective ${o.effective}`,
            `  fiscal year starts in ${o.fiscal_year_starts_in}`, `  review ${o.review}`, `  currency ${o.currency}`,
            `  rated on ${o.rated_on}`, `  description ${str(o.description)}`, '}');
        for (const objective of objectives) {
            out.push('', `objective ${objective.id} ${str(objective.title)} {`, `  description ${str(objective.description)}`,
                `  owner ${str(objective.owner)}`, `  perspective ${objective.perspective}`, `  by ${objective.by}`, '}');
        }
        for (const scale of rating_scales) {
            out.push('', `rating scale ${scale.id} ${str(scale.title)} {`, `  ${scale.method}`,
                ...scale.levels.map(level => `  level ${level.value} ${str(level.label)} from ${qty(level.from)}`), '}');
        }
        for (const client of clients) {
            out.push('', `client ${client.id} ${str(client.title)} {`, `  description ${str(client.description)}`, `  contract ${str(client.contract)}`, '}');
        }
    }
    for (const metric of file.metrics ?? []) {
        out.push(`metric ${metric.id} ${str(metric.title)} {`, `  description ${str(metric.description)}`,
            `  source ${str(metric.source)} field ${str(metric.field)}`, `  unit ${metric.unit}`,
            `  ${metric.additive ? 'additive' : 'non-additive'}`, `  aggregate by ${metric.aggregate_by}`, `  owner ${str(metric.owner)}`, '}', '');
    }
    if (file.department) {
        const d = file.department;
        out.push(`department ${d.id} ${str(d.title)} {`);
        if (d.part_of) {
            out.push(`  part of ${d.part_of}`);
        }
        out.push(`  owner ${str(d.owner)}`, `  description ${str(d.description)}`);
        for (const kra of d.kras) {
            out.push('');
            renderKra(kra, '  ', out);
        }
        out.push('}');
    }
    if (file.role) {
        const r = file.role;
        out.push(`role ${r.id} ${str(r.title)} in ${r.in} {`);
        if (r.reports_to) {
            out.push(`  reports to ${r.reports_to}`);
        }
        out.push(`  description ${str(r.description)}`, `  rated on ${r.rated_on}`);
        for (const carried of r.carries) {
            out.push(`  carries ${carried.kra} weighted ${carried.weight}%`);
        }
        for (const kra of r.kras) {
            out.push('');
            renderKra(kra, '  ', out);
        }
        out.push('}');
    }
    return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Rendering: the YAML twin and its JSON Schema
// ---------------------------------------------------------------------------------------------

/** Drops undefined fields so the YAML has no `null`s the schema would have to allow. */
function clean<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

/*
 * The YAML twin says the same as the .kra file the way a team would write it by hand: plain
 * keys, quantities as short strings ("78%", "360 s"), a target as `at_least: 78%` plus its
 * deadline, thresholds as `green: ">= 80%"`.
 */
const SIGN: Record<string, string> = { at_least: '>=', at_most: '<=', above: '>', below: '<' };

function yamlTarget(t: Target): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (t.client) {
        out.client = t.client;
    }
    if (t.comparator === 'change_year_over_year') {
        out.change_year_over_year = `+${t.value}%`;
    } else {
        out[t.comparator] = qty(t);
    }
    Object.assign(out, { by: t.by, in: t.in, each: t.each });
    if (t.stages) {
        out.then = t.stages.map(stage => ({ value: qty(stage), in: stage.in }));
    }
    return out;
}

function yamlKpi(kpi: Kpi): Record<string, unknown> {
    return {
        id: kpi.id, title: kpi.title, doc: kpi.doc, description: kpi.description, formula: kpi.formula, unit: kpi.unit,
        direction: kpi.direction,
        baseline: { value: qty(kpi.baseline), period: kpi.baseline.in },
        benchmark: kpi.benchmark ? { value: qty(kpi.benchmark), source: kpi.benchmark.source } : undefined,
        targets: kpi.targets.map(yamlTarget),
        thresholds: kpi.thresholds ? Object.fromEntries(kpi.thresholds.map(t => [t.status, `${SIGN[t.comparator]} ${qty(t)}`])) : undefined,
        measured: kpi.measured, source: kpi.source, owner: kpi.owner, weight: `${kpi.weight}%`, tags: kpi.tags,
        variants: kpi.variants?.map(v => ({ ...v, targets: v.targets?.map(yamlTarget) }))
    };
}

function yamlKra(kra: Kra): Record<string, unknown> {
    return {
        id: kra.id, title: kra.title, doc: kra.doc, description: kra.description, owner: kra.owner, perspective: kra.perspective,
        aligns_to: kra.aligns_to, weight: `${kra.weight}%`, review: kra.review, last_reviewed: kra.last_reviewed,
        measured_by: kra.measured_by.length > 0 ? kra.measured_by.map(m => ({ kpi: m.kpi, weight: `${m.weight}%` })) : undefined,
        kpis: kra.kpis.map(yamlKpi)
    };
}

export function renderYamlFile(file: SourceFile): string {
    const document: Record<string, unknown> = {};
    if (file.imports.length > 0) {
        document.imports = file.imports.map(imported => imported.replace(/\.kra$/, '.yaml'));
    }
    if (file.org) {
        const { organisation, objectives, rating_scales, clients } = file.org;
        Object.assign(document, {
            organisation, objectives,
            rating_scales: rating_scales.map(scale => ({ ...scale, levels: scale.levels.map(level => ({ ...level, from: qty(level.from) })) })),
            clients
        });
    }
    if (file.metrics) {
        document.metrics = file.metrics;
    }
    if (file.department) {
        const { kras, ...department } = file.department;
        document.department = { ...department, kras: kras.map(yamlKra) };
    }
    if (file.role) {
        const { kras, carries, ...role } = file.role;
        document.role = { ...role, carries: carries.map(c => ({ kra: c.kra, weight: `${c.weight}%` })), kras: kras.map(yamlKra) };
    }
    return `# ${file.header}\n${stringify(clean(document), { lineWidth: 0 })}`;
}

const id = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' };
const qualified = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$' };
const date = { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' };
const period = { type: 'string', pattern: '^(\\d{4}(-(Q[1-4]|H[12]|0[1-9]|1[0-2]))?|FY\\d{4})$' };
const text = { type: 'string', minLength: 1 };
const UNIT = '(%| s| min| h| GBP| USD| EUR| score| count| ratio)';
const unit = { type: 'string', enum: ['%', 's', 'min', 'h', 'seconds', 'GBP', 'USD', 'EUR', 'score', 'count', 'ratio'] };
const quantity = { type: 'string', pattern: `^-?\\d+(\\.\\d+)?${UNIT}$` };
const percent = { type: 'string', pattern: '^(100|[1-9]?\\d(\\.\\d+)?)%$' };
const threshold = { type: 'string', pattern: `^(>=|<=|>|<) -?\\d+(\\.\\d+)?${UNIT}$` };
const cadence = { enum: ['daily', 'weekly', 'monthly', 'quarterly', 'half-yearly', 'yearly'] };

/** JSON Schema (draft-07) of the YAML twin: what a careful team would validate its YAML with. */
export function yamlSchema(): object {
    const comparators = ['at_least', 'at_most', 'above', 'below', 'exactly'];
    const target = {
        type: 'object', additionalProperties: false,
        properties: {
            client: id, ...Object.fromEntries(comparators.map(c => [c, quantity])),
            between: { type: 'array', minItems: 2, maxItems: 2, items: quantity },
            change_year_over_year: { type: 'string', pattern: '^[+-]\\d+(\\.\\d+)?%$' },
            by: date, in: period, each: { enum: ['day', 'week', 'month', 'quarter', 'year'] },
            then: { type: 'array', minItems: 1, items: { type: 'object', required: ['value', 'in'], additionalProperties: false, properties: { value: quantity, in: period } } }
        },
        // Exactly one goal, and at most one of by / in / each.
        oneOf: [...comparators, 'between', 'change_year_over_year'].map(goal => ({ required: [goal] })),
        not: { anyOf: [['by', 'in'], ['by', 'each'], ['in', 'each']].map(pair => ({ required: pair })) }
    };
    const variant = {
        type: 'object', required: ['id', 'title', 'description', 'formula', 'unit'], additionalProperties: false,
        properties: { id, title: text, description: text, formula: text, unit, targets: { type: 'array', items: { $ref: '#/definitions/target' } } }
    };
    const kpi = {
        type: 'object', additionalProperties: false,
        required: ['id', 'title', 'description', 'formula', 'unit', 'direction', 'baseline', 'targets', 'measured', 'source', 'owner', 'weight'],
        properties: {
            id, title: text, doc: text, description: { type: 'string', minLength: 20 }, formula: text, unit,
            direction: { enum: ['higher', 'lower', 'band'] },
            baseline: { type: 'object', required: ['value'], additionalProperties: false, properties: { value: quantity, period, as_of: date } },
            benchmark: { type: 'object', required: ['value'], additionalProperties: false, properties: { value: quantity, source: text } },
            targets: { type: 'array', minItems: 1, items: { $ref: '#/definitions/target' } },
            thresholds: { type: 'object', required: ['green', 'amber', 'red'], additionalProperties: false, properties: { green: threshold, amber: threshold, red: threshold } },
            measured: cadence, source: text, owner: text, weight: percent,
            tags: { type: 'array', items: text, uniqueItems: true },
            variants: { type: 'array', items: { $ref: '#/definitions/variant' } }
        }
    };
    const kra = {
        type: 'object', additionalProperties: false,
        required: ['id', 'title', 'description', 'owner', 'perspective', 'aligns_to', 'weight', 'review', 'last_reviewed', 'kpis'],
        properties: {
            id, title: text, doc: text, description: { type: 'string', minLength: 20 }, owner: text,
            perspective: { enum: ['customer', 'financial', 'internal_process', 'people'] }, aligns_to: qualified, weight: percent,
            review: cadence, last_reviewed: date,
            measured_by: { type: 'array', items: { type: 'object', required: ['kpi', 'weight'], additionalProperties: false, properties: { kpi: qualified, weight: percent } } },
            kpis: { type: 'array', maxItems: 5, items: { $ref: '#/definitions/kpi' } }
        }
    };
    return {
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: 'https://kra-lang.dev/bench/yaml-twin.schema.json',
        title: 'KRAs and KPIs in YAML (the benchmark baseline)',
        type: 'object',
        additionalProperties: false,
        definitions: { target, variant, kpi, kra },
        properties: {
            imports: { type: 'array', items: { type: 'string', pattern: '^\\.\\.?/.*\\.yaml$' } },
            organisation: {
                type: 'object', additionalProperties: false, required: ['id', 'title', 'effective'],
                properties: {
                    id, title: text, version: text, effective: date,
                    fiscal_year_starts_in: { enum: ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'] },
                    review: cadence, currency: id, rated_on: id, description: text
                }
            },
            objectives: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['id', 'title', 'description'], properties: { id, title: text, description: text, owner: text, perspective: id, by: date } } },
            rating_scales: {
                type: 'array', items: {
                    type: 'object', additionalProperties: false, required: ['id', 'levels'],
                    properties: { id, title: text, method: { enum: ['stepped', 'interpolated'] }, levels: { type: 'array', minItems: 1, items: { type: 'object', additionalProperties: false, required: ['value', 'label', 'from'], properties: { value: { type: 'integer' }, label: text, from: quantity } } } }
                }
            },
            clients: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['id', 'title'], properties: { id, title: text, description: text, contract: text } } },
            metrics: {
                type: 'array', items: {
                    type: 'object', additionalProperties: false, required: ['id', 'title', 'description', 'unit', 'aggregate_by'],
                    properties: { id, title: text, description: text, source: text, field: text, unit, additive: { type: 'boolean' }, aggregate_by: { enum: ['sum', 'avg', 'min', 'max', 'last', 'median'] }, owner: text }
                }
            },
            department: {
                type: 'object', additionalProperties: false, required: ['id', 'title', 'owner', 'description', 'kras'],
                properties: { id, title: text, part_of: qualified, owner: text, description: text, kras: { type: 'array', items: { $ref: '#/definitions/kra' } } }
            },
            role: {
                type: 'object', additionalProperties: false, required: ['id', 'title', 'in', 'description', 'kras'],
                properties: {
                    id, title: text, in: qualified, reports_to: qualified, description: text, rated_on: id,
                    carries: { type: 'array', items: { type: 'object', required: ['kra', 'weight'], additionalProperties: false, properties: { kra: qualified, weight: percent } } },
                    kras: { type: 'array', maxItems: 5, items: { $ref: '#/definitions/kra' } }
                }
            }
        }
    };
}

function capitalise(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

export interface Manifest {
    size: Size;
    seed: number;
    counts: Generated['counts'];
    kraBytes: number;
    kraLines: number;
    yamlBytes: number;
    bigFile: string;
    bigFileLines: number;
    violations: Violation[];
}

export function writeOrganisation(options: GenerateOptions, out: string): Manifest {
    const generated = generate(options);
    fs.rmSync(out, { recursive: true, force: true });
    let kraBytes = 0;
    let kraLines = 0;
    let yamlBytes = 0;
    let bigFileLines = 0;
    for (const file of generated.files) {
        const kra = renderKraFile(file);
        const yaml = renderYamlFile(file);
        const kraPath = path.join(out, `${file.path}.kra`);
        const yamlPath = path.join(out, 'yaml', `${file.path}.yaml`);
        fs.mkdirSync(path.dirname(kraPath), { recursive: true });
        fs.mkdirSync(path.dirname(yamlPath), { recursive: true });
        fs.writeFileSync(kraPath, kra);
        fs.writeFileSync(yamlPath, yaml);
        kraBytes += Buffer.byteLength(kra);
        yamlBytes += Buffer.byteLength(yaml);
        const lines = kra.split('\n').length - 1;
        kraLines += lines;
        if (`${file.path}.kra` === generated.bigFile) {
            bigFileLines = lines;
        }
    }
    fs.writeFileSync(path.join(out, 'yaml', 'schema.json'), `${JSON.stringify(yamlSchema(), null, 2)}\n`);
    const manifest: Manifest = {
        size: options.size, seed: seedOf(options), counts: generated.counts, kraBytes, kraLines, yamlBytes,
        bigFile: generated.bigFile, bigFileLines, violations: generated.violations
    };
    fs.writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
}

function parseOptions(argv: string[]): { size: Size; out: string; seed?: number } {
    const { values } = parseArgs({
        args: argv,
        options: { size: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } },
        strict: true,
        allowPositionals: false
    });
    const size = values.size?.toUpperCase();
    if (size !== 'S' && size !== 'M' && size !== 'L') {
        throw new Error('--size S, M or L is required');
    }
    if (!values.out) {
        throw new Error('--out DIR is required');
    }
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !Number.isInteger(seed)) {
        throw new Error('--seed takes a whole number');
    }
    return { size, out: values.out, seed };
}

if (import.meta.filename === path.resolve(process.argv[1] ?? '')) {
    try {
        const args = parseOptions(process.argv.slice(2));
        const started = performance.now();
        const manifest = writeOrganisation({ size: args.size, seed: args.seed }, args.out);
        const c = manifest.counts;
        process.stdout.write(`Generated ${args.size} in ${args.out} (${Math.round(performance.now() - started)} ms): `
            + `${c.files} .kra files, ${c.kpis} KPIs, ${c.kras} KRAs, ${c.metrics} metrics, ${c.departments} departments, ${c.roles} roles; `
            + `${(manifest.kraBytes / 1e6).toFixed(2)} MB of .kra (${manifest.kraLines} lines), ${(manifest.yamlBytes / 1e6).toFixed(2)} MB of YAML; `
            + `${manifest.violations.length} planted violations.\n`);
    } catch (error) {
        process.stderr.write(`bench:generate: ${(error as Error).message}\nUsage: npm run bench:generate -- --size S|M|L --out DIR [--seed N]\n`);
        process.exitCode = 2;
    }
}
