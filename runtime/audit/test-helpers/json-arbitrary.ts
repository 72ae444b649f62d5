/**
 * fast-check arbitraries shared by the audit's canonical-JSON property tests: JSON values with
 * awkward strings (escapes, lone surrogates, non-ASCII keys) and numbers (-0, 1e21, 5e-7).
 */
import fc from "fast-check";

export const awkwardString = fc.string({ unit: "binary", maxLength: 12 });

export const awkwardNumber = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

export const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    awkwardString,
    awkwardNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(awkwardString, tie("value"), { maxKeys: 5 }),
  ),
})).value;
