const crypto = require('crypto');
const lines = require('fs').readFileSync(0, 'utf8').split('\n');
const v = lines[1].split(' ').map(Number).sort((a, b) => a - b);
console.log(v.join(' '));
let f = 1n;
for (let i = 2n; i <= 50n; i++) f *= i;
console.log(f.toString());
console.log(crypto.createHash('md5').update('').digest('hex'));
