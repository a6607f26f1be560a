const S = require('fs').readFileSync(0, 'latin1');
const T = S.split(/\s+/).filter((z) => z.length > 0);
let k = 0;
k = Number(T[0]);
const M = new Map();
// console.log(k, T.length);
for (let i = 1; i < T.length; i++) {
  const w = T[i];
  if (M.has(w)) {
    const c = M.get(w);
    M.set(w, c + 1);
  } else {
    if (!M.has(w)) {
      M.set(w, 1);
    }
  }
}
// console.log(M.size);
const V = [...M];
V.sort((a, b) => {
  if (b[1] !== a[1]) {
    return b[1] - a[1];
  } else {
    if (a[0] < b[0]) {
      return -1;
    } else {
      if (a[0] > b[0]) {
        return 1;
      } else {
        return 0;
      }
    }
  }
});
const O = [];
for (let j = 0; j < V.length; j++) {
  if (j < k) {
    if (V[j][1] > 0) {
      const x = V[j][0];
      const y = V[j][1];
      O.push(x + ' ' + y);
    }
  } else {
    break;
  }
}
// for (const o of O) console.log(o);
// console.log(O.length, k);
process.stdout.write(O.join('\n') + '\n');
