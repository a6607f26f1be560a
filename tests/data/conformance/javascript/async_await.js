const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  console.log('first');
  await sleep(20);
  const v = await Promise.resolve(42);
  console.log('second ' + v);
})();
