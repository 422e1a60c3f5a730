export default {
  displayName: 'delivery-worker',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
