import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppModule } from './app.module';
import { apiDocument, setApiPrefix } from './bootstrap';
import { undescribedAnswers } from './openapi-check';

/**
 * Writes the API's OpenAPI document (the typed contract the web is generated from) to the path
 * given, openapi.json by default. Nest's preview mode reads the controllers and their DTOs
 * without creating a provider: no database, Redis or configuration is needed.
 */
async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'openapi.json');
  const app = await NestFactory.create(AppModule.forRoot(), { preview: true, logger: false, abortOnError: false });
  setApiPrefix(app);
  const document = apiDocument(app);
  await app.close();
  const undescribed = undescribedAnswers(document);
  if (undescribed.length) {
    throw new Error(`endpoints whose answer no response DTO describes (add @ApiOkResponse({ type: … }) or its kin):\n  ${undescribed.join('\n  ')}`);
  }
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
