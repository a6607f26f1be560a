import os, time
n = 0
for _ in range(64):  # as many processes as this sandbox allows, all sleeping
    try:
        if os.fork() == 0:
            time.sleep(4)
            os._exit(0)
        n += 1
    except OSError:
        break
time.sleep(4)
print('neighbour held', n)
