// Filled in by the test harness (libs/test-support); a no-op until a suite needs services.
module.exports = async () => {};
