/** Levenshtein distance, giving up (returning `limit`) once it reaches `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
    if (Math.abs(a.length - b.length) >= limit) {
        return limit;
    }
    let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        let rowMin = i;
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1;
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
            rowMin = Math.min(rowMin, current[j]);
        }
        if (rowMin >= limit) {
            return limit;
        }
        previous = current;
    }
    return Math.min(previous[b.length], limit);
}

/** The candidate nearest to `name`: one typo allowed in a short name, two in a medium one, three in a long one. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
    let best: string | undefined;
    let bestDistance = (name.length <= 3 ? 1 : name.length <= 6 ? 2 : 3) + 1;
    for (const candidate of candidates) {
        const distance = editDistance(name, candidate, bestDistance);
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}
