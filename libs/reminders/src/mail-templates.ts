import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { MailKind } from '@app/domain';

/** One template per kind of mail. */
export type MailTemplateName = MailKind;

export interface RenderedMail {
  text: string;
  html: string;
}

/**
 * The .hbs files sit next to this file in the sources and are copied next to the compiled
 * file by the worker build (nest-cli.json assets). Under Jest's ESM mode there is no __dirname,
 * so the source folder relative to the working directory is the fallback.
 */
function templatesDir(): string {
  const candidates = [typeof __dirname === 'string' ? join(__dirname, 'templates') : '', join(process.cwd(), 'libs/reminders/src/templates')];
  const found = candidates.find((dir) => dir && existsSync(join(dir, 'digest.text.hbs')));
  if (!found) throw new Error(`reminder mail templates not found in ${candidates.filter(Boolean).join(', ')}`);
  return found;
}

type Compiled = Record<MailTemplateName, { text: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate }>;
let compiled: Compiled | null = null;

function load(): Compiled {
  if (compiled) return compiled;
  const dir = templatesDir();
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  const both = (name: MailTemplateName) => ({
    // Plain text is not HTML: no entity escaping there.
    text: Handlebars.compile(read(`${name}.text.hbs`), { noEscape: true, strict: true }),
    html: Handlebars.compile(read(`${name}.html.hbs`), { strict: true }),
  });
  compiled = { digest: both('digest'), returned: both('returned'), notice: both('notice') };
  return compiled;
}

export function renderMail(name: MailTemplateName, context: object): RenderedMail {
  const t = load()[name];
  return { text: t.text(context), html: t.html(context) };
}
