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

    # One "key: value" line per row; missing values are shown as "-".
    def format_report(rows)
      rows.reject { |key, _value| key.nil? }
          .map { |key, value| "#{key}: #{value.nil? ? '-' : value}\n" }
          .join
    end
  end
end
