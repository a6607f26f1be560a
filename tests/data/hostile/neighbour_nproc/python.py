import os, time
ok = 0
for _ in range(10):
    try:
        if os.fork() == 0:
            time.sleep(0.3)
            os._exit(0)
        ok += 1
    except OSError as exc:
        print('fork failed', exc)
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
print('forked', ok)
