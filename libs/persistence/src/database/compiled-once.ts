import type { Compilable, CompiledQuery } from 'kysely';

/**
 * A hot statement built and compiled once, then run with new values: the builder, the plugins'
 * rewriting of the tree and the compiler cost nothing per call (a call copies the parameters).
 * `build` gets one placeholder per declared argument and uses each as a value; the text is the
 * same for every call, so it stays one named (prepared) statement. Run the result with
 * `executeQuery` on the database or a transaction: its rows still go through the plugins.
 */
export function compiledOnce<A extends readonly unknown[], R>(build: (...values: A) => Compilable<R>): (...values: A) => CompiledQuery<R> {
  const placeholders = Array.from({ length: build.length }, (_, index) => ({ placeholder: index }));
  const compiled = build(...(placeholders as unknown as A)).compile();
  const slots = compiled.parameters.map((parameter) => placeholders.indexOf(parameter as (typeof placeholders)[number]));
  if (placeholders.some((_, index) => !slots.includes(index))) throw new Error(`compiledOnce: a value is not used by ${compiled.sql}`);
  return (...values) => ({ ...compiled, parameters: slots.map((slot, index) => (slot < 0 ? compiled.parameters[index] : values[slot])) });
}
