const D = require('fs').readFileSync(0, 'latin1').split(/\s+/).filter((z) => z.length > 0);
let a = 0;
let b = 0;
let k = 0;
a = Number(D[0]);
b = Number(D[1]);
const P = new Float64Array(a + 1);
k = 2;
// console.log(a, b);
for (let i = 1; i <= a; i++) {
  const v = Number(D[k]);
  if (v >= 0) {
    P[i] = P[i - 1] + v;
  } else {
    if (v < 0) {
      const x1 = P[i - 1];
      P[i] = x1 + v;
    }
  }
  k++;
}
// for (const y of P) console.log(y);
const O = [];
for (let j = 0; j < b; j++) {
  const l = Number(D[k]);
  const r = Number(D[k + 1]);
  k += 2;
  if (l > 0) {
    if (r >= l) {
      if (r <= a) {
        if (l === r) {
          const t = P[r] - P[l - 1];
          O.push(String(t));
        } else {
          if (l < r) {
            const x1 = P[r];
            const x2 = P[l - 1];
            const t2 = x1 - x2;
            O.push(String(t2));
          } else {
            O.push('0');
          }
        }
      } else {
        O.push('0');
      }
    } else {
      O.push('0');
    }
  } else {
    O.push('0');
  }
}
// console.log(O.length);
// process.stdout.write(O.join(' '));
process.stdout.write(O.join('\n') + '\n');
