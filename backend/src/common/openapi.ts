import { applyDecorators } from '@nestjs/common';
import { type ApiBodyOptions, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';

type SchemaObject = NonNullable<Extract<ApiBodyOptions, { schema?: unknown }>['schema']>;

/** OpenAPI schema generated from a contract's zod schema, so docs and validation never drift. */
export function zodSchema(schema: z.ZodType): SchemaObject {
  return z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    unrepresentable: 'any',
    io: 'output',
  }) as SchemaObject;
}

/**
 * One documented query parameter per field of a query schema (its input form: what the query string
 * carries), so the docs list every filter the validation accepts.
 */
export function ApiQueryFromSchema(schema: z.ZodType): MethodDecorator {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any', io: 'input' }) as {
    properties?: Record<string, SchemaObject & { description?: string }>;
    required?: string[];
  };
  const required = new Set(json.required ?? []);
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) =>
      ApiQuery({
        name,
        required: required.has(name),
        schema: property,
        ...(property.description ? { description: property.description } : {}),
      }),
    ),
  );
}
