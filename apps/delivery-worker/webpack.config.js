const { appWebpackConfig } = require('../../tools/app-webpack.config');

module.exports = appWebpackConfig(__dirname, 'delivery-worker');
