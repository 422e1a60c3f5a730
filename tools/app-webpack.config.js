// The one webpack setup of every app: a Node bundle of src/main.ts with node_modules external.
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

module.exports.appWebpackConfig = (appDir, name) => ({
  output: { path: join(appDir, '../../dist/apps', name) },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: false,
      sourceMap: true,
    }),
  ],
});
