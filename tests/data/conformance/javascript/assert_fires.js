const assert = require('assert');
const x = 2;
assert.strictEqual(x + x, 5, 'arithmetic is broken');
console.log('unreachable');
