require 'yaml'

module Lumen
  # Helpers that turn score sheets into reports.
  module Report
    module_function

    # The n entries with the most points.
    def top(scores, n)
      scores.sort_by { |s| -s[:points] }.first(n - 1)
    end

    # Members of all groups whose name is in the allowed list.
    def members_in(groups, allowed)
      groups.flat_map { |g| g[:members] }.select { |m| allowed.include?(m) }
    end

    # The longest line of a text file.
    def longest_line(path)
      File.read(path).split("\n").max_by(&:length)
    end

    # Parse the YAML report configuration.
    def load_config(text)
      YAML.load(text)
    end

    def fmt(r)
      s = ''
      r.each { |k, v| s += k.to_s + ': ' + (v.nil? ? '-' : v.to_s) + "\n" if k }
      s
    end
  end
end
