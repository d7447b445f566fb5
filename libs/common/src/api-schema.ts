import { ApiProperty } from '@nestjs/swagger';

/*
 * Property decorators for the response DTOs (the API's contract, read by openapi-typescript
 * into web/src/api-types.gen.ts). Each states the JSON type explicitly: TypeScript's reflected
 * type says Object for every `T | null` and Date for timestamps, which JSON carries as text.
 */

// A class given lazily (declared further down, or in a cycle). Nest takes a function for a lazy
// type only when it is named `type`, hence the wrapping arrow in each property below.
type Lazy = () => abstract new (...args: never[]) => unknown;

export const ApiString = (description?: string) => ApiProperty({ type: String, description });
export const ApiNullableString = (description?: string) => ApiProperty({ type: String, nullable: true, description });
export const ApiNumber = (description?: string) => ApiProperty({ type: Number, description });
export const ApiNullableNumber = (description?: string) => ApiProperty({ type: Number, nullable: true, description });
export const ApiBoolean = (description?: string) => ApiProperty({ type: Boolean, description });
/** A timestamp (a Date on the server), as ISO 8601 text. */
export const ApiDateTime = (description?: string) => ApiProperty({ type: String, format: 'date-time', description });
export const ApiNullableDateTime = (description?: string) => ApiProperty({ type: String, format: 'date-time', nullable: true, description });
/** A calendar day, YYYY-MM-DD. */
export const ApiDay = (description?: string) => ApiProperty({ type: String, format: 'date', description });
export const ApiNullableDay = (description?: string) => ApiProperty({ type: String, format: 'date', nullable: true, description });
export const ApiStrings = (description?: string) => ApiProperty({ type: [String], description });
export const ApiNumbers = (description?: string) => ApiProperty({ type: [Number], description });
export const ApiObject = (type: Lazy, description?: string) => ApiProperty({ type: () => type(), description });
export const ApiNullableObject = (type: Lazy, description?: string) => ApiProperty({ type: () => type(), nullable: true, description });
export const ApiArray = (type: Lazy, description?: string) => ApiProperty({ type: () => type(), isArray: true, description });
/** One of the domain's words (libs/domain), as a named schema so the web reads the same union. */
export const ApiEnum = (values: readonly string[], enumName: string, description?: string) => ApiProperty({ enum: [...values], enumName, description });
export const ApiNullableEnum = (values: readonly string[], enumName: string, description?: string) =>
  ApiProperty({ enum: [...values], enumName, nullable: true, description });
export const ApiEnumArray = (values: readonly string[], enumName: string, description?: string) =>
  ApiProperty({ enum: [...values], enumName, isArray: true, description });
/** A JSON object of free keys (form values, attributes): `{ [key: string]: unknown }`. */
export const ApiRecord = (description?: string) => ApiProperty({ type: 'object', additionalProperties: true, description });
export const ApiNumberRecord = (description?: string) => ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description });
export const ApiStringRecord = (description?: string) => ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description });
export const ApiNullableStringRecord = (description?: string) =>
  ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, nullable: true, description });
/** Any JSON value (a field's value in a diff, an audit row's before/after). */
export const ApiAnyValue = (description?: string) =>
  ApiProperty({
    description,
    nullable: true,
    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'object', additionalProperties: true }, { type: 'array', items: {} }],
  });
/** A KPI's target or actual: a number, or a milestone's wording. */
export const ApiNumberOrString = (nullable: boolean, description?: string) =>
  ApiProperty({ oneOf: [{ type: 'number' }, { type: 'string' }], nullable, description });
/** For the few properties a response leaves out in some answers. */
export const ApiOptional = (options: Parameters<typeof ApiProperty>[0]) => ApiProperty({ ...options, required: false } as Parameters<typeof ApiProperty>[0]);
