const assert = require('assert');
const x = 2;
assert.strictEqual(x + x, 4);
assert.deepStrictEqual([1, 2], [1, 2]);
console.log('ok');
