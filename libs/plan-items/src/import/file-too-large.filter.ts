import { ArgumentsHost, Catch, ExceptionFilter, PayloadTooLargeException } from '@nestjs/common';
import type { Response } from 'express';
import { errorBody, sendErrorBody } from '@app/common';

/** Multer stops an upload over the limit before our code sees it; say so in Japanese. */
@Catch(PayloadTooLargeException)
export class FileTooLargeFilter implements ExceptionFilter {
  catch(_: PayloadTooLargeException, host: ArgumentsHost): void {
    sendErrorBody(host.switchToHttp().getResponse<Response>(), errorBody(413, 'too_large', 'ファイルが大きすぎます(上限 5 MB)', { field: 'file' }));
  }
}
