// End-to-end tests: the real processes, started by the harness, driven over HTTP.
export default {
  displayName: 'e2e',
  preset: '../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['**/*.e2e.ts'],
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
};
