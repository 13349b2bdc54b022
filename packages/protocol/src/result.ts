/** The outcome of decoding untrusted input: a value, or an error to act on. Decoders never throw. */
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** Wraps a successful value. */
export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });

/** Wraps an error. */
export const err = <E>(error: E): { readonly ok: false; readonly error: E } => ({ ok: false, error });
