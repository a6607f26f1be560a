const { Worker, isMainThread, parentPort } = require('worker_threads');
if (isMainThread) {
  let total = 0, done = 0;
  for (let i = 0; i < 4; i++) {
    const w = new Worker(__filename);
    w.on('message', (s) => { total += s; if (++done === 4) console.log('sum ' + total); });
  }
} else {
  let s = 0;
  for (let k = 0; k < 1000000; k++) s++;
  parentPort.postMessage(s);
}
