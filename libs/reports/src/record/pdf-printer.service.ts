import { Injectable } from '@nestjs/common';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { AppConfig } from '@app/config';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Prints a report's HTML file to PDF with the machine's Chromium (CHROMIUM_PATH), honouring the
 * report's own `@page` rule (A4, landscape for wide lists). One print at a time per process:
 * a Chromium costs a few hundred MB, and the record is an occasional download.
 */
@Injectable()
export class PdfPrinterService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly config: AppConfig) {}

  print(htmlPath: string, pdfPath: string): Promise<void> {
    const run = this.queue.then(() => this.printNow(htmlPath, pdfPath));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async printNow(htmlPath: string, pdfPath: string): Promise<void> {
    const browser = await chromium.launch({ executablePath: this.config.CHROMIUM_PATH, args: CHROMIUM_ARGS }).catch((error: Error) => {
      throw new Error(`Chromium (${this.config.CHROMIUM_PATH}) を起動できません: ${error.message}`);
    });
    try {
      const page = await browser.newPage();
      // The report is self-contained (no scripts, no external resources): offline is enough.
      await page.route(/^(?!file:)/, (route) => route.abort());
      await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load', timeout: 120_000 });
      page.setDefaultTimeout(300_000);
      await page.pdf({ path: pdfPath, preferCSSPageSize: true, printBackground: true, tagged: true, outline: true });
    } finally {
      await browser.close();
    }
  }
}
