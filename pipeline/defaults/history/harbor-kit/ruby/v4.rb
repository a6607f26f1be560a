require 'json'

module Harbor
  # Numbers the dock office reports every morning.
  module Dock
    module_function

    # Share of part in total, in percent.
    def percent(part, total)
      return 0.0 if total.zero?

      part * 100.0 / total
    end

    # The n-th tide cycle number.
    def fib(n)
      a, b = 0, 1
      n.times { a, b = b, a + b }
      a
    end

    # Number of ERROR lines in a crane log.
    def count_errors(path)
      File.foreach(path).count { |line| line.include?('ERROR') }
    end

    # Restore a saved berth plan.
    def restore(blob)
      JSON.parse(blob)
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
