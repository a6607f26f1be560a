total = 0
lock = Mutex.new
threads = 8.times.map do
  Thread.new do
    s = 0
    100_000.times { s += 1 }
    lock.synchronize { total += s }
  end
end
threads.each(&:join)
puts "sum #{total}"
