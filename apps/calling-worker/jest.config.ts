export default {
  displayName: 'calling-worker',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
