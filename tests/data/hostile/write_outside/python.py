for path in ['{{ESCAPE}}', '/usr/codepref-escape', '/etc/codepref-escape', '/codepref-escape',
             '../../../../codepref-escape']:
    try:
        with open(path, 'w') as fh:
            fh.write('x')
        print('wrote', path)
    except OSError:
        print('denied', path)
open('scratch.txt', 'w').write('ok')
print('workdir', open('scratch.txt').read())
