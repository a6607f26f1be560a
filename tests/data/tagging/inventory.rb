# Inventory helpers: parsing, classification and reorder suggestions.
require 'csv'

Item = Struct.new(:sku, :quantity, :reorder_level)

module Inventory
  DEFAULT_WIDTH = 3

  def self.parse_line(line)
    parts = line.split(',')
    return nil if parts.size < 3 || parts[0].empty?

    Item.new(parts[0], Integer(parts[1]), Integer(parts[2]))
  rescue ArgumentError
    nil
  end

  def self.load_items(path)
    items = []
    File.foreach(path) do |line|
      item = parse_line(line.strip)
      items << item if item
    end
    items
  end

  def self.classify(item)
    if item.quantity.zero?
      'out'
    elsif item.quantity <= item.reorder_level
      'low'
    elsif item.quantity > 10 * item.reorder_level || item.reorder_level.zero?
      'excess'
    else
      'ok'
    end
  end

  def self.reorder_quantity(item, pending = 0)
    shortfall = item.reorder_level * 2 - item.quantity - pending
    shortfall.positive? && item.reorder_level.positive? ? shortfall : 0
  end

  def self.describe(code)
    case code
    when 0 then 'none'
    when 1, 2 then 'few'
    else 'many'
    end
  end

  def self.report(items)
    counts = Hash.new(0)
    items.each { |item| counts[classify(item)] += 1 }
    index = 0
    while index < items.size
      item = items[index]
      puts "#{item.sku}: #{reorder_quantity(item)}" unless item.reorder_level.zero?
      index += 1
    end
    counts
  end
end

Inventory.report(Inventory.load_items(ARGV[0])) if $PROGRAM_NAME == __FILE__
