import os, time
time.sleep(0.1)  # a surviving daemon would have rewritten its files by now
found = [p for p in ('/tmp/daemon-was-here', '/dev/shm/daemon-was-here') if os.path.exists(p)]
others = []
for pid in filter(str.isdigit, os.listdir('/proc')):
    try:
        cmd = open(f'/proc/{pid}/cmdline', 'rb').read()
    except OSError:
        continue
    if b'daemon-was-here' in cmd or (int(pid) not in (1, os.getpid(), os.getppid()) and os.stat(f'/proc/{pid}').st_uid == os.getuid()):
        others.append(pid)
print('clean' if not found and not others else f'carried {found} {others}')
