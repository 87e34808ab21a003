// Entry for `mocha --reporter test/runner/mochaReporter.cjs`: mocha require()s a
// reporter and wants the constructor itself, not an ES module namespace. tsx is
// registered by the stage's `--import=tsx`, so the TypeScript file loads as is.
module.exports = require('./specJsonReporter.ts').SpecJsonReporter;
