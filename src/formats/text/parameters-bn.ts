/**
 * The inverse of `int(float(parameters_bn) * 1_000_000_000)`: the shortest decimal `parameters_bn`
 * cell that yields a parameter count. A CSV saying `4.1` yields 4099999999 (the double product is
 * 4099999999.9999995), so the shortest spelling is what a person most likely wrote. When no
 * rounding of count / 10^9 works (4100000000 has none), the midpoint `count + 0.5` is used, and
 * as a last resort the neighbouring doubles. `accept` can demand more of the float, such as the
 * size tag it rounds to.
 */
import { parametersFromCell } from './row-fields.js';

const MAX_ULP_STEPS = 64;

export function parametersBnFor(count: bigint, accept: (billions: number) => boolean = () => true): string | undefined {
  for (let decimals = 0; decimals <= 9; decimals++) {
    const unit = 10n ** BigInt(9 - decimals);
    const below = floorDiv(count, unit) * unit;
    const above = below === count ? below : below + unit;
    const nearestFirst = count - below <= above - count ? [below, above] : [above, below];
    for (const candidate of nearestFirst) {
      const cell = decimalOf(candidate, 9);
      if (yields(cell, count, accept)) return cell;
    }
  }
  const midpoint = decimalOf(count * 10n + 5n, 10);
  if (yields(midpoint, count, accept)) return midpoint;
  const start = Number(decimalOf(count, 9));
  for (let step = 1; step <= MAX_ULP_STEPS; step++) {
    for (const direction of [1, -1] as const) {
      const candidate = plainDecimal(stepUlps(start, direction * step));
      if (yields(candidate, count, accept)) return candidate;
    }
  }
  return undefined;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

function yields(cell: string, count: bigint, accept: (billions: number) => boolean): boolean {
  const parameters = parametersFromCell(cell);
  return !('error' in parameters) && parameters.count === count && accept(parameters.billions);
}

/** `value / 10^scale` written exactly in decimal, without trailing zeros. */
function decimalOf(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, -scale).replace(/^0+(?=\d)/, '');
  const fraction = digits.slice(-scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** The double `steps` units in the last place away from `x` (finite, non-zero x). */
function stepUlps(x: number, steps: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  // For doubles of one sign, the bit patterns are ordered like the values (reversed when negative).
  view.setBigInt64(0, bits + BigInt(x < 0 ? -steps : steps));
  return view.getFloat64(0);
}

/** The shortest round-trip spelling of `x`, without exponent notation. */
function plainDecimal(x: number): string {
  const text = String(x);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', lead = '', rest = '', exponentText = '0'] = match;
  const digits = lead + rest;
  const exponent = Number(exponentText);
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const intLength = exponent + 1;
  if (digits.length <= intLength) return sign + digits + '0'.repeat(intLength - digits.length);
  return `${sign}${digits.slice(0, intLength)}.${digits.slice(intLength)}`;
}
