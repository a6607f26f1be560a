import threading
from concurrent.futures import ThreadPoolExecutor

lock = threading.Lock()
total = 0


def work(n):
    global total
    s = sum(1 for _ in range(n))
    with lock:
        total += s


with ThreadPoolExecutor(max_workers=8) as pool:
    list(pool.map(work, [100000] * 8))
print('sum', total)
