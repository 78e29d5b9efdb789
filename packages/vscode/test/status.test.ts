import { describe, expect, it } from 'vitest';
import { countDiagnostics, statusText } from '../src/status.js';

const uri = (path: string) => ({ path });
const diagnostics = (...severities: number[]) => severities.map(severity => ({ severity }));

describe('status bar', () => {
    it('counts errors and warnings of .kra files only', () => {
        const counts = countDiagnostics([
            [uri('/ws/ops.kra'), diagnostics(0, 0, 1, 2, 3)],
            [uri('/ws/hr.kra'), diagnostics(1)],
            [uri('/ws/kra.config.yaml'), diagnostics(0)],
            [uri('/ws/app.ts'), diagnostics(0, 1)]
        ]);
        expect(counts).toEqual({ errors: 2, warnings: 2 });
        expect(countDiagnostics([])).toEqual({ errors: 0, warnings: 0 });
    });

    it('shows the server state and the counts', () => {
        const counts = { errors: 1, warnings: 3 };
        expect(statusText('starting', counts).text).toBe('$(loading~spin) KRA $(error) 1 $(warning) 3');
        expect(statusText('ready', counts).text).toBe('$(check) KRA $(error) 1 $(warning) 3');
        expect(statusText('ready', counts).tooltip).toContain('1 error and 3 warnings');
        expect(statusText('ready', counts).alert).toBe(false);
        expect(statusText('stopped', counts)).toMatchObject({ text: '$(circle-slash) KRA $(error) 1 $(warning) 3', alert: true });
        expect(statusText('stopped', counts).tooltip).toContain('stopped');
    });
});
