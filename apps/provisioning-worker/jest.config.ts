export default {
  displayName: 'provisioning-worker',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
