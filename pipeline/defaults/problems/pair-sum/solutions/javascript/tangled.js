const D = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((z) => z.length > 0);
let n = 0;
let t = 0;
let c = 0;
n = Number(D[0]);
t = Number(D[1]);
const M = new Map();
// console.log(n, t);
for (let i = 2; i < 2 + n; i++) {
  const x = Number(D[i]);
  if (x >= 0) {
    if (x <= t) {
      const y = t - x;
      if (M.has(y)) {
        const v = M.get(y);
        if (v > 0) {
          c = c + v;
        }
      }
      const w = M.get(x);
      if (w === undefined) {
        M.set(x, 1);
      } else {
        M.set(x, w + 1);
      }
    } else {
      // too big for any pair
      // M.set(x, 1);
    }
  } else {
    if (M.has(t - x)) {
      c = c + M.get(t - x);
    }
    M.set(x, (M.get(x) || 0) + 1);
  }
}
// console.log(M.size);
// console.log('c =', c);
console.log(String(c));
