import os, time
pid = os.fork()
if pid == 0:
    os.setsid()
    if os.fork():
        os._exit(0)
    os.close(1)
    while True:
        for path in ('/tmp/daemon-was-here', '/dev/shm/daemon-was-here'):
            try:
                open(path, 'w').write('x')
            except OSError:
                pass
        time.sleep(0.02)
os.waitpid(pid, 0)
print('parent done')
