const fs = require('fs');
const line = 'x'.repeat(1000) + '\n';
for (;;) fs.writeSync(1, line);
