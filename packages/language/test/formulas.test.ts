import { describe, expect, it } from 'vitest';
import { ast } from '../src/index.js';
import { named, parse, parseValid } from './ast-helpers.js';
import { summarise } from './test-utils.js';

/** Prints a formula fully parenthesised: every operator, negation, condition and window gets its own parentheses. */
function print(expression: ast.Expression | undefined): string {
    if (!expression) {
        return '<missing>';
    }
    if (ast.isBinaryExpression(expression)) {
        return `(${print(expression.left)} ${expression.operator} ${print(expression.right)})`;
    }
    if (ast.isNegatedExpression(expression)) {
        return `(-${print(expression.operand)})`;
    }
    if (ast.isNumberLiteral(expression)) {
        return expression.unit ? `${expression.value} ${expression.unit.$refText}` : String(expression.value);
    }
    if (ast.isMeasureRef(expression)) {
        return expression.measure.$refText;
    }
    if (ast.isFunctionCall(expression)) {
        return `${expression.function}(${expression.args.map(print).join(', ')})`;
    }
    if (ast.isIfExpression(expression)) {
        return `(if ${printPredicate(expression.condition)} then ${print(expression.whenTrue)} else ${print(expression.whenFalse)})`;
    }
    if (ast.isWindowedExpression(expression)) {
        return `(${print(expression.expression)} over ${printWindow(expression.window)})`;
    }
    throw new Error(`Unknown expression ${(expression as ast.Expression).$type}`);
}

/** A condition fully parenthesised, so that the tests see how it was grouped. */
function printPredicate(predicate: ast.Predicate): string {
    if (ast.isComparePredicate(predicate)) {
        return `${print(predicate.left)} ${predicate.operator} ${print(predicate.right)}`;
    }
    if (ast.isNotPredicate(predicate)) {
        return `(not ${printPredicate(predicate.operand)})`;
    }
    return `(${predicate.operands.map(printPredicate).join(ast.isAndPredicate(predicate) ? ' and ' : ' or ')})`;
}

function printWindow(window: ast.Window): string {
    if (ast.isRollingWindow(window)) {
        return `rolling ${window.size} ${window.grain}`;
    }
    if (ast.isToDateWindow(window)) {
        return `${window.grain} to date`;
    }
    if (ast.isPreviousPeriodWindow(window)) {
        return 'previous period';
    }
    if (ast.isSamePeriodLastYearWindow(window)) {
        return 'same period last year';
    }
    if (ast.isPreviousGrainWindow(window)) {
        return `previous ${window.grain}`;
    }
    if (ast.isSameGrainLastYearWindow(window)) {
        return `same ${window.grain} last year`;
    }
    throw new Error(`Unknown window ${(window as ast.Window).$type}`);
}

const DECLARATIONS = `
metric a
metric b
metric c
metric e
metric revenue
department operations { kra service { kpi aht { } } }
`;

/** Parses `formula <text>` in a KPI next to metrics a, b, c, e and revenue; fails on syntax or linking errors. */
async function formula(text: string): Promise<ast.Expression> {
    const { file, workspace } = await parseValid(`${DECLARATIONS}\nkpi k {\n  formula ${text}\n  unit count\n}`);
    const unexpected = summarise(workspace.diagnostics()).filter(d => d.startsWith('syntax/') || d.startsWith('structure/unresolved-reference'));
    expect(unexpected).toEqual([]);
    const expression = named(file, ast.isKpi, 'k').formula;
    expect(expression).toBeDefined();
    return expression!;
}

async function printed(text: string): Promise<string> {
    return print(await formula(text));
}

describe('formulas: operator precedence and associativity', () => {
    it.each([
        ['a + b * c', '(a + (b * c))'],
        ['a * b + c', '((a * b) + c)'],
        ['a - b / c', '(a - (b / c))'],
        ['a / b - c', '((a / b) - c)'],
        ['a - b - c', '((a - b) - c)'],
        ['a + b - c', '((a + b) - c)'],
        ['a - b + c', '((a - b) + c)'],
        ['a / b / c', '((a / b) / c)'],
        ['a * b / c', '((a * b) / c)'],
        ['a / b * c', '((a / b) * c)'],
        ['a - b - c - e', '(((a - b) - c) - e)'],
        ['a + b * c - e / a', '((a + (b * c)) - (e / a))'],
        ['a * b + c * e', '((a * b) + (c * e))']
    ])('%s is %s', async (text, expected) => {
        expect(await printed(text)).toBe(expected);
    });

    it.each([
        ['(a + b) * c', '((a + b) * c)'],
        ['a * (b + c)', '(a * (b + c))'],
        ['a - (b - c)', '(a - (b - c))'],
        ['a / (b / c)', '(a / (b / c))'],
        ['((a))', 'a'],
        ['(a + b) / (c - e)', '((a + b) / (c - e))']
    ])('parentheses: %s is %s', async (text, expected) => {
        expect(await printed(text)).toBe(expected);
    });

    it.each([
        ['-a', '(-a)'],
        ['-a * b', '((-a) * b)'],
        ['a * -b', '(a * (-b))'],
        ['-a + b', '((-a) + b)'],
        ['a - -b', '(a - (-b))'],
        ['--a', '(-(-a))'],
        ['-(a + b)', '(-(a + b))'],
        ['-3', '(-3)'],
        ['-20 s', '(-20 s)'],
        ['-max(a, b)', '(-max(a, b))']
    ])('unary minus: %s is %s', async (text, expected) => {
        expect(await printed(text)).toBe(expected);
    });

    it('builds binary nodes with the operator and both operands', async () => {
        const expression = await formula('a - b');
        expect(ast.isBinaryExpression(expression)).toBe(true);
        const binary = expression as ast.BinaryExpression;
        expect(binary.operator).toBe('-');
        expect(ast.isMeasureRef(binary.left) && binary.left.measure.$refText).toBe('a');
        expect(ast.isMeasureRef(binary.right) && binary.right.measure.$refText).toBe('b');
    });

    it('gives operands their own source ranges', async () => {
        const expression = await formula('a + revenue * c') as ast.BinaryExpression;
        const product = expression.right as ast.BinaryExpression;
        expect(expression.left.$cstNode?.text).toBe('a');
        expect(product.left.$cstNode?.text).toBe('revenue');
        expect(product.right.$cstNode?.text).toBe('c');
    });
});

describe('formulas: references, numbers and units', () => {
    it('references metrics by id and KPIs by qualified name', async () => {
        const expression = await formula('revenue / operations.service.aht') as ast.BinaryExpression;
        const left = expression.left as ast.MeasureRef;
        const right = expression.right as ast.MeasureRef;
        expect(ast.isMetric(left.measure.ref)).toBe(true);
        expect(left.measure.ref?.name).toBe('revenue');
        expect(right.measure.$refText).toBe('operations.service.aht');
        expect(ast.isKpi(right.measure.ref)).toBe(true);
        expect(right.measure.ref?.name).toBe('aht');
    });

    it.each([
        ['20s', 20, 's', 'seconds'],
        ['20 s', 20, 's', 'seconds'],
        ['85%', 85, '%', 'percent'],
        ['85 %', 85, '%', 'percent'],
        ['1.5 h', 1.5, 'h', 'hours'],
        ['2 days', 2, 'days', 'days'],
        ['3 weeks', 3, 'weeks', 'weeks'],
        ['10 min', 10, 'min', 'minutes'],
        ['100 USD', 100, 'USD', 'USD']
    ])('parses the number with unit %s', async (text, value, unit, unitName) => {
        const literal = await formula(text);
        expect(ast.isNumberLiteral(literal)).toBe(true);
        const number = literal as ast.NumberLiteral;
        expect([number.value, number.unit?.$refText]).toEqual([value, unit]);
        expect(number.unit?.ref?.name).toBe(unitName);
    });

    it.each([['100', 100], ['0', 0], ['0.25', 0.25], ['12.5', 12.5]])('parses the plain number %s', async (text, value) => {
        const literal = await formula(text) as ast.NumberLiteral;
        expect(ast.isNumberLiteral(literal)).toBe(true);
        expect([literal.value, literal.unit]).toEqual([value, undefined]);
    });

    it('mixes numbers with units and references', async () => {
        expect(await printed('a * 100 + 20s - 85% / 2 h')).toBe('(((a * 100) + 20 s) - (85 % / 2 h))');
    });
});

describe('formulas: functions', () => {
    it.each([
        ['sum(a)', 'sum(a)'],
        ['avg(a)', 'avg(a)'],
        ['min(a)', 'min(a)'],
        ['min(a, b, c)', 'min(a, b, c)'],
        ['max(a, 20 s)', 'max(a, 20 s)'],
        ['count(a)', 'count(a)'],
        ['median(a)', 'median(a)'],
        ['percentile(a, 90)', 'percentile(a, 90)'],
        ['safe_ratio(a + b, c)', 'safe_ratio((a + b), c)'],
        ['safe_ratio(a - b * c, -e)', 'safe_ratio((a - (b * c)), (-e))'],
        ['max(min(a, b), sum(c))', 'max(min(a, b), sum(c))'],
        ['sum(a) * 2', '(sum(a) * 2)'],
        ['2 - sum(a) / count(b)', '(2 - (sum(a) / count(b)))'],
        ['(safe_ratio(a, c) - safe_ratio(b, c)) * 100', '((safe_ratio(a, c) - safe_ratio(b, c)) * 100)']
    ])('%s is %s', async (text, expected) => {
        expect(await printed(text)).toBe(expected);
    });

    it('keeps the function name and each argument', async () => {
        const call = await formula('percentile(revenue, 95)') as ast.FunctionCall;
        expect(ast.isFunctionCall(call)).toBe(true);
        expect(call.function).toBe('percentile');
        expect(call.args).toHaveLength(2);
        expect(ast.isMeasureRef(call.args[0]) && call.args[0].measure.ref?.name).toBe('revenue');
        expect(ast.isNumberLiteral(call.args[1]) && call.args[1].value).toBe(95);
    });

    it('parses a call with no arguments (the arity check reports it)', async () => {
        const { file } = await parseValid('kpi k { formula sum() }');
        const call = named(file, ast.isKpi, 'k').formula as ast.FunctionCall;
        expect([call.$type, call.function, call.args.length]).toEqual(['FunctionCall', 'sum', 0]);
    });
});

describe('formulas: conditionals', () => {
    it.each(['>', '>=', '<', '<=', '=', '!='])('parses if/then/else with %s', async operator => {
        const expression = await formula(`if a ${operator} 0 then b / a else 0`);
        expect(ast.isIfExpression(expression)).toBe(true);
        const conditional = expression as ast.IfExpression;
        expect((conditional.condition as ast.ComparePredicate).operator).toBe(operator);
        expect(print(conditional)).toBe(`(if a ${operator} 0 then (b / a) else 0)`);
    });

    it.each([
        ['if a + b >= c * 2 then a else b', '(if (a + b) >= (c * 2) then a else b)'],
        ['if a > 0 then b else c + e', '(if a > 0 then b else (c + e))'],
        ['1 + if a > 0 then b else c', '(1 + (if a > 0 then b else c))'],
        ['(if a > 0 then b else c) * 2', '((if a > 0 then b else c) * 2)'],
        ['if a > 0 then if b > 0 then 1 else 2 else 3', '(if a > 0 then (if b > 0 then 1 else 2) else 3)'],
        ['if a > 0 then 1 else if b < 0 then 2 else 3', '(if a > 0 then 1 else (if b < 0 then 2 else 3))'],
        ['if safe_ratio(a, b) != 85% then -a else a over previous period', '(if safe_ratio(a, b) != 85 % then (-a) else (a over previous period))'],
        ['if a > 0 and b > 0 then 1 else 0', '(if (a > 0 and b > 0) then 1 else 0)'],
        ['if a > 0 or b > 0 and c > 0 then 1 else 0', '(if (a > 0 or (b > 0 and c > 0)) then 1 else 0)'],
        ['if (a > 0 or b > 0) and c > 0 then 1 else 0', '(if ((a > 0 or b > 0) and c > 0) then 1 else 0)'],
        ['if not a > 0 and b > 0 then 1 else 0', '(if ((not a > 0) and b > 0) then 1 else 0)'],
        ['if not (a > 0 and b > 0) then 1 else 0', '(if (not (a > 0 and b > 0)) then 1 else 0)'],
        ['if (a + b) * 2 > c then 1 else 0', '(if ((a + b) * 2) > c then 1 else 0)'],
        ['if ((a) > b) then 1 else 0', '(if a > b then 1 else 0)']
    ])('%s is %s', async (text, expected) => {
        expect(await printed(text)).toBe(expected);
    });
});

describe('formulas: windows', () => {
    it.each([
        ['revenue over rolling 30 days', '(revenue over rolling 30 days)', 'RollingWindow'],
        ['revenue over rolling 4 weeks', '(revenue over rolling 4 weeks)', 'RollingWindow'],
        ['revenue over rolling 3 months', '(revenue over rolling 3 months)', 'RollingWindow'],
        ['revenue over month to date', '(revenue over month to date)', 'ToDateWindow'],
        ['revenue over quarter to date', '(revenue over quarter to date)', 'ToDateWindow'],
        ['revenue over year to date', '(revenue over year to date)', 'ToDateWindow'],
        ['revenue over previous period', '(revenue over previous period)', 'PreviousPeriodWindow'],
        ['revenue over same period last year', '(revenue over same period last year)', 'SamePeriodLastYearWindow'],
        ['revenue over previous quarter', '(revenue over previous quarter)', 'PreviousGrainWindow'],
        ['revenue over previous month', '(revenue over previous month)', 'PreviousGrainWindow'],
        ['revenue over previous year', '(revenue over previous year)', 'PreviousGrainWindow'],
        ['revenue over same quarter last year', '(revenue over same quarter last year)', 'SameGrainLastYearWindow'],
        ['revenue over same month last year', '(revenue over same month last year)', 'SameGrainLastYearWindow']
    ])('%s is %s', async (text, expected, windowType) => {
        const expression = await formula(text);
        expect(ast.isWindowedExpression(expression)).toBe(true);
        expect((expression as ast.WindowedExpression).window.$type).toBe(windowType);
        expect(print(expression)).toBe(expected);
    });

    it('keeps the size and grain of a rolling window', async () => {
        const windowed = await formula('a over rolling 90 days') as ast.WindowedExpression;
        const window = windowed.window as ast.RollingWindow;
        expect([window.size, window.grain]).toEqual([90, 'days']);
        expect(ast.isMeasureRef(windowed.expression) && windowed.expression.measure.$refText).toBe('a');
    });

    it.each([
        ['a + b over previous period', '(a + (b over previous period))'],
        ['a over previous period + b', '((a over previous period) + b)'],
        ['a * b over month to date', '(a * (b over month to date))'],
        ['(a + b) over previous period', '((a + b) over previous period)'],
        ['a over previous period * 2', '((a over previous period) * 2)'],
        ['-a over previous period', '((-a) over previous period)'],
        ['sum(a) over rolling 7 days', '(sum(a) over rolling 7 days)'],
        ['20 s over previous period', '(20 s over previous period)'],
        ['safe_ratio(revenue - revenue over same period last year, revenue over same period last year)',
            'safe_ratio((revenue - (revenue over same period last year)), (revenue over same period last year))'],
        ['a over rolling 30 days - a over rolling 30 days / 2', '((a over rolling 30 days) - ((a over rolling 30 days) / 2))']
    ])('over binds to the primary: %s is %s', async (text, expected) => {
        expect(await printed(text)).toBe(expected);
    });
});

describe('formulas: syntax errors', () => {
    it.each([
        'a +',
        'a * * b',
        '(a + b',
        'a over',
        'a over rolling days',
        'a over next period',
        'if a then b else c',
        'if a > 0 then b',
        'max(a,)'
    ])('rejects %s', async text => {
        const { document } = await parse(`${DECLARATIONS}\nkpi k {\n  formula ${text}\n}`);
        expect(document.parseResult.parserErrors.length).toBeGreaterThan(0);
    });
});
