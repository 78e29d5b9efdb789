/** The contact-centre example (examples/contact-centre), compiled and evaluated on its data, once per test file. */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { URI } from 'langium';
import { compileWorkspace, type KraModel } from '@kra-lang/compiler';
import { evaluateModel, parseInput, prepareInputs, type EvaluationResult } from '@kra-lang/compiler/evaluate';
import { loadWorkspace, resolveTarget } from '@kra-lang/language/node';

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const EXAMPLE = path.join(REPO, 'examples/contact-centre');

let cached: Promise<{ model: KraModel; result: EvaluationResult }> | undefined;

export function contactCentre(): Promise<{ model: KraModel; result: EvaluationResult }> {
    cached ??= (async () => {
        const target = await resolveTarget(EXAMPLE);
        const workspace = await loadWorkspace([target]);
        const model = compileWorkspace({ documents: [...workspace.documents, ...workspace.library], root: URI.file(target.root) });
        const dataDir = path.join(EXAMPLE, 'data');
        // The data and the assignments export, as kra eval reads them.
        const { data, assignments } = prepareInputs(readdirSync(dataDir).filter(file => file.endsWith('.csv')).sort()
            .map(file => parseInput(file, readFileSync(path.join(dataDir, file), 'utf8'), model)));
        const result = evaluateModel(model, data, { assignments });
        return { model, result };
    })();
    return cached;
}
