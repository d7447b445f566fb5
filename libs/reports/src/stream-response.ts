import { Logger } from '@nestjs/common';
import type { Response } from 'express';

const logger = new Logger('reports');

/**
 * Runs a writer that streams into the response. Errors raised before the first byte still
 * reach the global filter (a proper 4xx/5xx); once the body has started the status is gone,
 * so the connection is cut and the client sees a truncated download instead of a corrupt file.
 */
export async function streamTo(res: Response, writer: () => Promise<void>): Promise<void> {
  try {
    await writer();
  } catch (error) {
    if (!res.headersSent) {
      res.removeHeader('Content-Disposition');
      throw error;
    }
    logger.error(`export aborted: ${(error as Error).message}`, (error as Error).stack);
    res.destroy(error as Error);
  }
}
