// @ts-check
// What global setup leaves for global teardown in the same jest process (the containers it
// started). Kept on globalThis: jest may load the two hooks through separate module registries.

const KEY = Symbol.for('numbers.test-support.harness-state');

/** @typedef {{ services?: import('./find-services').Services }} HarnessState */

/** @returns {HarnessState} */
function harnessState() {
  const holder = /** @type {Record<symbol, HarnessState>} */ (/** @type {unknown} */ (globalThis));
  holder[KEY] ??= {};
  return holder[KEY];
}

module.exports = { harnessState };
