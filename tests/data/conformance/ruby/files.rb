File.write('notes.txt', "alpha\nbeta\n")
p File.readlines('notes.txt', chomp: true)
File.delete('notes.txt')
puts File.exist?('notes.txt')
