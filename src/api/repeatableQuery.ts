import { z } from 'zod';

/**
 * A query parameter that may be given more than once (`?customer=a&customer=b`): the query string
 * parser gives one value as a string and several as an array.
 */
export const repeatable = <T extends z.ZodType<string>>(item: T) => z.union([item, z.array(item).max(1000)]).optional();

/** The values of a repeatable parameter as a list; undefined when it is absent. */
export const valuesOf = (value: string | readonly string[] | undefined): string[] | undefined => (value === undefined ? undefined : [value].flat());
