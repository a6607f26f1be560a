print('héllo wörld ✓ 你好 🙂')
print(len('héllo'))
