const fs = require('fs');
fs.writeFileSync('notes.txt', 'alpha\nbeta\n');
console.log(fs.readFileSync('notes.txt', 'utf8').trim().split('\n').join(','));
fs.unlinkSync('notes.txt');
console.log(fs.existsSync('notes.txt'));
