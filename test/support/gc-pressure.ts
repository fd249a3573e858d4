/**
 * Loaded into the CLI by a test (`NODE_OPTIONS=--expose-gc --import=<this file, built>`): collects
 * garbage every 2 ms, so objects the CLI drops too early (an HTTP response whose body it still
 * reads) are gone at once instead of some day under load.
 */
const collect = (globalThis as { gc?: () => void }).gc;
if (collect) setInterval(() => collect(), 2).unref();
