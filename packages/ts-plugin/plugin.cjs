// tsserver loads plugins with require(): this CommonJS entry hands it the plugin factory from the
// ES module build (require() of an ES module works on Node 20.19 and later).
module.exports = require('./dist/index.js').default;
