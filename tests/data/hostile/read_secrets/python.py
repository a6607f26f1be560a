import os
print('env', dict(os.environ))
targets = [f'/proc/{os.getppid()}/{n}' for n in ('environ', 'cmdline', 'status')]
targets += [f'/proc/1/{n}' for n in ('environ', 'cmdline', 'status')]
targets += ['/etc/shadow', '{{SECRET_FILE}}', '/root', '/work', '/home']
for path in targets:
    try:
        data = os.listdir(path) if os.path.isdir(path) else open(path, 'rb').read()
        print('read', path, data)
    except OSError:
        print('denied', path)
print('done')
