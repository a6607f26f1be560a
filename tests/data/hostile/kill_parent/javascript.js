for (const pid of [process.ppid, 1]) {
  try { process.kill(pid, 'SIGKILL'); console.log('killed', pid); } catch (e) { console.log('denied', pid); }
}
setTimeout(() => console.log('alive'), 200);
