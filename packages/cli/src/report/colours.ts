import pc from 'picocolors';

/**
 * Colour only on a terminal. `NO_COLOR` (non-empty) turns it off and `FORCE_COLOR` on
 * (`FORCE_COLOR=0` off), as no-color.org and most tools agree. Unlike picocolors' default, a CI
 * environment alone does not turn colour on: logs and files get plain text.
 */
export function colourEnabled(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
    if (env.NO_COLOR) {
        return false;
    }
    if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') {
        return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
    }
    return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/**
 * The colour functions of this run. `main` sets them once per command (`useColour`) from the
 * same decision as the sanitiser's, so that one process can run several commands with
 * different settings (the tests' command runner does). Read them when printing, never at
 * module load.
 */
export const colours: ReturnType<typeof pc.createColors> = pc.createColors(colourEnabled());

/** Turns the colour functions of `colours` on or off. */
export function useColour(enabled: boolean): void {
    Object.assign(colours, pc.createColors(enabled));
}
