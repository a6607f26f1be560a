puts 'héllo wörld ✓ 你好 🙂'
puts 'héllo'.length
