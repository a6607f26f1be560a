import collections, ctypes, os
found = []
for base in ('.', '/tmp', os.environ.get('HOME', '.'), '/dev/shm'):
    for name in ('planted-marker', 'collections', 'locked'):
        if os.path.lexists(os.path.join(base, name)):
            found.append(os.path.join(base, name))
if os.path.exists('/dev/shm/planted-marker'):
    found.append('/dev/shm/planted-marker')
try:
    if ctypes.CDLL(None).shmget(0x5EED, 0, 0) >= 0:
        found.append('sysv shm 0x5EED')
except OSError:
    pass
assert collections.OrderedDict  # the real stdlib package
print('clean' if not found else f'carried {found}')
