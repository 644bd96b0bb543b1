// n8n finds this package's nodes and credentials through the `n8n` section of
// package.json; this entry point only exists for tools that require the package.
module.exports = {};
