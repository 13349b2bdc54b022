/** A JSON value: what the CRDTs store as set elements, register and map values. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** A JSON value together with its canonical text, which is how values are compared. */
export interface CanonicalJson {
  /** JSON text with object keys sorted by UTF-16 code units and no whitespace. */
  readonly key: string;
  /** A frozen copy of the value (`-0` becomes `0`). */
  readonly value: Json;
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string survives UTF-8 (no lone surrogates). */
export const isWellFormed = (text: string): boolean => !loneSurrogate.test(text);

/**
 * Canonical form of a JSON value. Throws a `TypeError` for anything JSON cannot represent exactly:
 * `undefined`, non-finite numbers, functions, symbols, class instances, sparse arrays.
 */
export function canonicalize(input: unknown): CanonicalJson {
  if (typeof input === 'string') return { key: JSON.stringify(input), value: input };
  const parts: string[] = [];
  const value = copy(input, '$', parts);
  return { key: parts.join(''), value };
}

// Writes the canonical text into `parts` while copying; the text is built here rather than by
// JSON.stringify(copy), because objects list integer-like keys first whatever order they were added in.
function copy(input: unknown, path: string, parts: string[]): Json {
  switch (typeof input) {
    case 'string':
      parts.push(JSON.stringify(input));
      return input;
    case 'boolean':
      parts.push(input ? 'true' : 'false');
      return input;
    case 'number': {
      if (!Number.isFinite(input)) throw new TypeError(`Not a JSON value at ${path}: ${input}`);
      const number = input === 0 ? 0 : input;
      parts.push(JSON.stringify(number));
      return number;
    }
    case 'object': {
      if (input === null) {
        parts.push('null');
        return null;
      }
      if (Array.isArray(input)) {
        const out: Json[] = [];
        parts.push('[');
        for (let i = 0; i < input.length; i++) {
          if (!(i in input)) throw new TypeError(`Not a JSON value at ${path}[${i}]: hole in array`);
          if (i > 0) parts.push(',');
          out.push(copy(input[i], `${path}[${i}]`, parts));
        }
        parts.push(']');
        return Object.freeze(out);
      }
      const proto = Object.getPrototypeOf(input);
      if ((proto !== Object.prototype && proto !== null) || Object.getOwnPropertySymbols(input).length > 0) {
        throw new TypeError(`Not a JSON value at ${path}: only plain objects are allowed`);
      }
      const source = input as Record<string, unknown>;
      const out: Record<string, Json> = {};
      parts.push('{');
      let first = true;
      for (const key of Object.keys(source).sort()) {
        if (!first) parts.push(',');
        first = false;
        parts.push(JSON.stringify(key), ':');
        // defineProperty, because assigning a "__proto__" key from an untrusted peer would set the prototype.
        Object.defineProperty(out, key, {
          value: copy(source[key], `${path}.${key}`, parts),
          enumerable: true,
          writable: false,
          configurable: false,
        });
      }
      parts.push('}');
      return Object.freeze(out);
    }
    default:
      throw new TypeError(`Not a JSON value at ${path}: ${typeof input}`);
  }
}
