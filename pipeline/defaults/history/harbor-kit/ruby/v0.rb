module Harbor
  # Numbers the dock office reports every morning.
  module Dock
    module_function

    # Share of part in total, in percent.
    def percent(part, total)
      part * 100 / total
    end

    # The n-th tide cycle number.
    def fib(n)
      n < 2 ? n : fib(n - 1) + fib(n - 2)
    end

    # Number of ERROR lines in a crane log.
    def count_errors(path)
      File.readlines(path).count { |line| line.include?('ERROR') }
    end

    # Restore a saved berth plan.
    def restore(blob)
      Marshal.load(blob)
    end

    def s(a)
      r = {}
      a.each do |x|
        if x[:w]
          if x[:w] > 0
            r[x[:p]] = (r[x[:p]] || 0) + x[:w]
          end
        end
      end
      r
    end
  end
end
