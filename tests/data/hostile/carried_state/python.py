import ctypes, os
for base in ('.', '/tmp', os.environ.get('HOME', '.'), '/dev/shm'):
    try:
        pkg = os.path.join(base, 'collections')
        os.makedirs(pkg, exist_ok=True)
        with open(os.path.join(pkg, '__init__.py'), 'w') as fh:
            fh.write("raise SystemExit('hijacked by a previous job')\n")
        with open(os.path.join(base, 'planted-marker'), 'w') as fh:
            fh.write('x')
        os.chmod(pkg, 0o555)
        os.chmod(base, 0o555) if base == '.' else None
    except OSError as exc:
        print('could not plant in', base, exc)
try:  # a System V shared-memory segment outlives its creator
    libc = ctypes.CDLL(None)
    libc.shmget(0x5EED, 4096, 0o1666)
except OSError:
    pass
print('planted')
