const fs = require('fs');
console.log('env', JSON.stringify(process.env));
const targets = [];
for (const pid of [process.ppid, 1]) for (const n of ['environ', 'cmdline', 'status']) targets.push(`/proc/${pid}/${n}`);
targets.push('/etc/shadow', '{{SECRET_FILE}}', '/root', '/work', '/home');
for (const p of targets) {
  try {
    const data = fs.statSync(p).isDirectory() ? fs.readdirSync(p).join(',') : fs.readFileSync(p).toString('latin1');
    console.log('read', p, data);
  } catch (e) {
    console.log('denied', p);
  }
}
console.log('done');
