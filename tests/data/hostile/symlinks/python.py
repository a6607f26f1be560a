import os
for target, name in [('/etc/shadow', 'shadow'), ('{{SECRET_FILE}}', 'secret'), ('{{ESCAPE}}', 'escape'),
                     ('/', 'root'), ('/proc/1/root', 'pid1root')]:
    os.symlink(target, name)
for path in ('shadow', 'secret', 'root/etc/shadow', 'pid1root/etc/shadow', 'pid1root{{SECRET_FILE}}'):
    try:
        print('read', path, open(path).read())
    except OSError:
        print('denied read', path)
for path in ('escape', 'pid1root{{ESCAPE}}'):
    try:
        open(path, 'w').write('x')
    except OSError:
        pass
print('done')
