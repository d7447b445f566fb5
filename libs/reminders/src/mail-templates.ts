import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { MailKind } from '@app/domain';

/** One template per kind of mail. */
export type MailTemplateName = MailKind;

export interface RenderedMail {
  text: string;
  html: string;
  /** The same without salutation, footer and HTML shell: a section of a daily mail. */
  bodyText: string;
  bodyHtml: string;
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
  // The footer of every mail (send-only, the address, the planning division to ask): one text.
  Handlebars.registerPartial('footerText', read('footer.text.hbs'));
  Handlebars.registerPartial('footerHtml', read('footer.html.hbs'));
  compiled = { digest: both('digest'), returned: both('returned'), notice: both('notice'), daily: both('daily') };
  return compiled;
}

/** What the footer of every mail says: where the system is, whom to ask (config PLANNING_CONTACT_*). */
export interface MailFooter {
  publicUrl: string;
  contact: { name: string; phone: string; email: string };
}

export function mailFooter(config: {
  PUBLIC_URL: string;
  PLANNING_CONTACT_NAME: string;
  PLANNING_CONTACT_PHONE: string;
  PLANNING_CONTACT_EMAIL: string;
}): MailFooter {
  return {
    publicUrl: config.PUBLIC_URL,
    contact: { name: config.PLANNING_CONTACT_NAME, phone: config.PLANNING_CONTACT_PHONE, email: config.PLANNING_CONTACT_EMAIL },
  };
}

/**
 * Both parts of a mail. The HTML part is escaped by Handlebars ({{ }}), has inline styles only
 * and no image, stylesheet or script: nothing is fetched from anywhere when it is opened.
 */
export function renderMail(name: MailTemplateName, context: object, footer: MailFooter): RenderedMail {
  const t = load()[name];
  const full = { ...context, footer, bundled: false };
  const part = { ...full, bundled: true };
  return { text: t.text(full), html: t.html(full), bodyText: t.text(part).trim(), bodyHtml: t.html(part).trim() };
}
