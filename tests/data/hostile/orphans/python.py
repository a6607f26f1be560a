import os, time
r, w = os.pipe()
for _ in range(3):
    if os.fork() == 0:
        block = bytearray(100 << 20)
        for i in range(0, len(block), 4096):
            block[i] = 1
        os.write(w, b'm')
        while True:
            time.sleep(1)
for _ in range(3):
    os.read(r, 1)
mid = os.fork()
if mid == 0:
    if os.fork() == 0:
        x = 0
        while time.process_time() < 1.2:
            x += 1
        os.write(w, b'c')
        os._exit(0)
    os._exit(0)
os.waitpid(mid, 0)
print('done', os.read(r, 1).decode())
