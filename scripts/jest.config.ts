// The admin CLI's commands against a test database of their own.
export default {
  displayName: 'scripts',
  preset: '../jest.preset.js',
  rootDir: __dirname,
};
