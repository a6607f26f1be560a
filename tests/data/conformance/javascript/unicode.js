console.log('héllo wörld ✓ 你好 🙂');
console.log([...'héllo'].length);
