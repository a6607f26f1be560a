import os
with open('notes.txt', 'w') as fh:
    fh.write('alpha\nbeta\n')
with open('notes.txt') as fh:
    print(fh.read().split())
os.remove('notes.txt')
print(os.path.exists('notes.txt'))
