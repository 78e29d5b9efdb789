/**
 * How a RAG status is shown. Never by colour alone: each status has its own icon shape and its
 * word, and the colours keep a contrast of at least 4.5:1 for text on their background.
 */
import type { RagStatus } from '@kra-lang/compiler/evaluate';

export interface RagStyle {
    /** The word shown next to the icon. */
    readonly label: string;
    /** A text symbol of a distinct shape: a check in a circle, a triangle, a cross. */
    readonly icon: string;
    /** Text and marker colour. */
    readonly ink: string;
    /** Cell background. */
    readonly fill: string;
    /** Threshold band in a chart (translucent). */
    readonly band: string;
}

export const RAG: Readonly<Record<RagStatus, RagStyle>> = {
    green: { label: 'Green', icon: '●', ink: '#1d6b34', fill: '#dcf2e3', band: 'rgba(46,160,67,0.13)' },
    amber: { label: 'Amber', icon: '▲', ink: '#8a4b00', fill: '#fdebc8', band: 'rgba(230,150,0,0.15)' },
    red: { label: 'Red', icon: '◆', ink: '#a3141c', fill: '#fbdcdc', band: 'rgba(215,38,45,0.12)' }
};

/** The status of a KPI that has none (no value, no thresholds). */
export const NO_STATUS = { label: 'No status', icon: '○' } as const;
