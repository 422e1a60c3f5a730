export default {
  displayName: 'billing-worker',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
