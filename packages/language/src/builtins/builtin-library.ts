/**
 * The built-in library: units and balanced-scorecard perspectives every workspace can use
 * without an import. It is an ordinary KRA Lang document, so hover, completion and
 * go-to-definition work on built-ins as on user declarations.
 */
import { URI } from 'langium';

export const BUILTIN_LIBRARY_URI = URI.parse('kra-builtin:///builtins.kra').toString();

const CURRENCIES: ReadonlyArray<[code: string, name: string]> = [
    ['USD', 'US dollar'], ['EUR', 'Euro'], ['GBP', 'Pound sterling'], ['INR', 'Indian rupee'],
    ['PHP', 'Philippine peso'], ['AUD', 'Australian dollar'], ['CAD', 'Canadian dollar'],
    ['JPY', 'Japanese yen'], ['CNY', 'Chinese yuan'], ['SGD', 'Singapore dollar'],
    ['ZAR', 'South African rand'], ['MXN', 'Mexican peso'], ['BRL', 'Brazilian real'],
    ['CHF', 'Swiss franc'], ['SEK', 'Swedish krona'], ['NZD', 'New Zealand dollar'],
    ['AED', 'UAE dirham'], ['PLN', 'Polish zloty'], ['EGP', 'Egyptian pound'], ['MYR', 'Malaysian ringgit']
];

export const BUILTIN_LIBRARY_SOURCE = `// Built-in units and perspectives of KRA Lang. Read-only.

/** A plain number of things: calls, tickets, hires, clients. */
unit count "Count" is count
/** A fraction between 0 and 1. */
unit ratio "Ratio" is ratio
/** Hundredths of a ratio: 85% = 0.85. */
unit percent "Percent" symbol % = 0.01 ratio
/** A score on a scale of its own, such as NPS (-100 to 100) or an audit score. */
unit score "Score" is score
/** Time, in seconds. */
unit seconds "Seconds" symbol s is time
unit minutes "Minutes" symbol min = 60 seconds
unit hours "Hours" symbol h = 3600 seconds
unit days "Days" symbol d = 86400 seconds
unit weeks "Weeks" = 604800 seconds

${CURRENCIES.map(([code, name]) => `/** ${name}. */\nunit ${code} "${name}" is currency`).join('\n')}

/** Balanced scorecard: revenue, margin, cost. */
perspective financial "Financial"
/** Balanced scorecard: satisfaction, loyalty, service. */
perspective customer "Customer"
/** Balanced scorecard: efficiency, quality, compliance of how work is done. */
perspective internal_process "Internal process"
/** Balanced scorecard: skills, engagement, retention. */
perspective people "People, learning and growth"
`;

export function isBuiltinUri(uri: string): boolean {
    return uri === BUILTIN_LIBRARY_URI;
}
