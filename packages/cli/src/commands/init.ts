import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileErrorReason, makeFolders } from '../files.js';
import type { Output } from './shared.js';
import { ExitCode } from '../exit-code.js';

const CONFIG = `# KRA Lang workspace configuration. Reference: docs/configuration.md
extends: recommended

# The organisation's limits, as HR policy sets them.
limits:
  krasPerRole: 5
  kpisPerKra: 5
  kpisPerRole: 15

# Rule severities: off | info | warning | error. \`kra rules\` lists every rule.
rules: {}
`;

const ORGANISATION = `// The organisation, its objectives and its raw metrics. Other files import this one.

organisation my_company "My Company" {
  version "0.1"
  effective 2026-01-01
  fiscal year starts in january
  review quarterly
  currency USD
}

objective delight_customers "Delight customers" {
  description "Customers rate their support experience highly and get their issue solved at the first contact."
  perspective customer
  by 2026-12-31
}

metric satisfied_responses "Satisfied survey responses" {
  description "Post-contact survey answers scoring 4 or 5 out of 5."
  source "Survey tool" field "responses.satisfied"
  unit count
  additive
  aggregate by sum
}

metric survey_responses "Survey responses" {
  description "All post-contact survey answers received."
  source "Survey tool" field "responses.total"
  unit count
  additive
  aggregate by sum
}

metric resolved_first_contact "Issues resolved at first contact" {
  description "Issues closed without a repeat contact within seven days."
  source "Ticketing system" field "tickets.fcr"
  unit count
  additive
  aggregate by sum
}

metric issues "Issues raised" {
  description "All customer issues raised in the period."
  source "Ticketing system" field "tickets.total"
  unit count
  additive
  aggregate by sum
}
`;

const SUPPORT = `import "./organisation.kra"

department support "Customer support" {
  description "Answers customer questions by phone, chat and email for every product line."

  kra customer_experience "Customer experience" {
    description "Customers leave every contact satisfied and with their issue solved the first time."
    owner support_lead
    perspective customer
    aligns to delight_customers
    weight 100%
    review quarterly
    last reviewed 2025-12-15

    kpi csat "Customer satisfaction (CSAT)" {
      description "Share of survey responses that rate the contact 4 or 5 out of 5."
      formula safe_ratio(satisfied_responses, survey_responses)
      unit %
      higher is better
      baseline 82% in 2025-Q4
      target at least 88% by 2026-12-31
      thresholds green at least 88%, amber at least 80%, red below 80%
      measured monthly
      source "Survey tool"
      owner support_lead
      weight 50%
    }

    kpi fcr "First contact resolution (FCR)" {
      description "Share of issues resolved at the first contact, without a repeat contact within seven days."
      formula safe_ratio(resolved_first_contact, issues)
      unit %
      higher is better
      baseline 70% in 2025-Q4
      target at least 75% by 2026-12-31
      thresholds green at least 75%, amber at least 68%, red below 68%
      measured monthly
      source "Ticketing system"
      owner support_lead
      weight 50%
    }
  }
}

role support_lead "Support team lead" in support {
  description "Leads a team of eight to twelve support agents and coaches them on every contact type."
  carries support.customer_experience weighted 100%
}
`;

/** The files `kra init` writes, relative to the target folder. */
export const SCAFFOLD: ReadonlyArray<[file: string, content: string]> = [
    ['kra.config.yaml', CONFIG],
    ['organisation.kra', ORGANISATION],
    ['support.kra', SUPPORT]
];

/**
 * Scaffolds a workspace that checks clean. Refuses to overwrite any existing file; a folder that
 * cannot hold the workspace (a file by that name, no permission, a read-only disk) is one line and
 * exit 2, and a write that fails half-way removes the files this run created.
 */
export async function runInit(dir: string | undefined, output: Output): Promise<number> {
    const shownDir = dir ?? '.';
    const target = path.resolve(shownDir);
    const existing: string[] = [];
    for (const [file] of SCAFFOLD) {
        try {
            await fs.lstat(path.join(target, file));
            existing.push(file);
        } catch {
            // free to write (or the folder is not usable: found below)
        }
    }
    if (existing.length > 0) {
        output.err(`kra init: ${existing.map(file => path.join(shownDir, file)).join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written. Choose an empty folder: kra init <dir>.\n`);
        return ExitCode.failure;
    }
    const created: string[] = [];
    try {
        await makeFolders(target);
        for (const [file, content] of SCAFFOLD) {
            await fs.writeFile(path.join(target, file), content, { flag: 'wx' });
            created.push(path.join(target, file));
        }
    } catch (error) {
        await Promise.all(created.map(file => fs.rm(file, { force: true })));
        const code = (error as NodeJS.ErrnoException).code;
        const reason = code === 'EEXIST' || code === 'ENOTDIR' ? 'it, or a folder above it, is a file, not a folder' : fileErrorReason(error);
        output.err(`kra init: cannot create the workspace in ${shownDir}: ${reason}; nothing was written. Choose a folder you can write to: kra init <dir>.\n`);
        return ExitCode.failure;
    }
    const shown = path.relative(process.cwd(), target) || '.';
    output.out(`Created a KRA Lang workspace in ${shown}: ${SCAFFOLD.map(([file]) => file).join(', ')}.\nNext: kra check ${shown}\n`);
    return ExitCode.clean;
}
