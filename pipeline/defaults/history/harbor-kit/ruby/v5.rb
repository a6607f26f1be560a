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

    # Total positive weight per port.
    def total_weight_by_port(shipments)
      totals = Hash.new(0)
      shipments.each do |shipment|
        weight = shipment[:w]
        next unless weight && weight > 0

        totals[shipment[:p]] += weight
      end
      totals
    end
  end
end
