// Specs of the scripts: the admin CLI (against a test database of its own), npm start's environment, packaging.
export default {
  displayName: 'scripts',
  preset: '../jest.preset.js',
  rootDir: __dirname,
};
