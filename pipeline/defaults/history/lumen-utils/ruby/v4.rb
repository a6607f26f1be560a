require 'set'
require 'yaml'

module Lumen
  # Helpers that turn score sheets into reports.
  module Report
    module_function

    # The n entries with the most points.
    def top(scores, n)
      scores.sort_by { |s| -s[:points] }.first(n)
    end

    # Members of all groups whose name is in the allowed list.
    def members_in(groups, allowed)
      allowed_set = allowed.to_set
      groups.flat_map { |g| g[:members] }.select { |m| allowed_set.include?(m) }
    end

    # The longest line of a text file.
    def longest_line(path)
      longest = nil
      File.foreach(path) do |line|
        line = line.chomp
        longest = line if longest.nil? || line.length > longest.length
      end
      longest
    end

    # Parse the YAML report configuration.
    def load_config(text)
      YAML.safe_load(text, permitted_classes: [Symbol])
    end

    def fmt(r)
      s = ''
      r.each { |k, v| s += k.to_s + ': ' + (v.nil? ? '-' : v.to_s) + "\n" if k }
      s
    end
  end
end
