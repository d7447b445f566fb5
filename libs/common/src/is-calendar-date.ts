import { ValidateBy, ValidationOptions } from 'class-validator';
import { parseIsoDate } from '@app/domain';

/** A real calendar day as YYYY-MM-DD: 2019-02-30 and 2024-13-01 are refused, not rolled over. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
          try {
            parseIsoDate(value);
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage: () => '$property は実在する日付(YYYY-MM-DD)で指定してください',
      },
    },
    options,
  );
}
