import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from './domain-error';

/** The largest id a PostgreSQL `integer`/`serial` column holds. */
export const MAX_ID = 2_147_483_647;

/**
 * A record id from the path. Not a whole number written in ASCII digits: 400 naming the
 * parameter. A whole number that no record can have (0, or past the integer range): 404, as
 * for any other id that does not exist, rather than a database range error.
 */
@Injectable()
export class IdPipe implements PipeTransform<string | number, number> {
  transform(value: string | number, metadata: ArgumentMetadata): number {
    const name = metadata.data ?? 'id';
    // The global ValidationPipe (transform: true) has usually made it a number already.
    const id = typeof value === 'number' ? value : /^\d{1,20}$/.test(String(value)) ? Number(value) : NaN;
    if (!Number.isInteger(id)) {
      throw new DomainError('bad_request', `${name}: 半角数字のIDで指定してください`, { field: name });
    }
    if (id < 1 || id > MAX_ID) throw DomainError.notFound(name, String(value));
    return id;
  }
}
