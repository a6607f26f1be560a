const data = require('fs').readFileSync(0, 'utf8');
let total = 0n;
for (const tok of data.split(/\s+/)) if (tok) total += BigInt(tok);
console.log(total.toString());
