const rl = require('readline').createInterface({ input: process.stdin });
const lines = [];
rl.on('line', (l) => lines.push(l));
rl.on('close', () => {
  const n = Number(lines[0]);
  for (let i = 1; i <= n; i++) console.log([...lines[i]].reverse().join(''));
});
