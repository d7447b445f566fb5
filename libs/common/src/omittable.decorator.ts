import { ValidateIf } from 'class-validator';

/**
 * For PATCH bodies: the field may be left out, but an explicit null is validated (and so
 * refused by the field's own rules) instead of slipping through as @IsOptional would let it.
 */
export const Omittable = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
