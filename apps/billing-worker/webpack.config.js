const { appWebpackConfig } = require('../../tools/app-webpack.config');

module.exports = appWebpackConfig(__dirname, 'billing-worker');
