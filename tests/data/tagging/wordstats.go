package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode"
)

var stopWords = map[string]bool{"the": true, "a": true, "an": true, "and": true, "of": true}

type entry struct {
	word  string
	count int
}

func tokenize(line string) []string {
	return strings.FieldsFunc(strings.ToLower(line), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	})
}

func countWords(lines []string, keepStop bool) map[string]int {
	counts := make(map[string]int)
	for _, line := range lines {
		for _, word := range tokenize(line) {
			if len(word) < 2 && word != "a" {
				continue
			}
			if !keepStop && stopWords[word] {
				continue
			}
			counts[word]++
		}
	}
	return counts
}

func top(counts map[string]int, n int) []entry {
	entries := make([]entry, 0, len(counts))
	for w, c := range counts {
		entries = append(entries, entry{w, c})
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].count != entries[j].count {
			return entries[i].count > entries[j].count
		}
		return entries[i].word < entries[j].word
	})
	if len(entries) > n {
		entries = entries[:n]
	}
	return entries
}

func main() {
	var lines []string
	scanner := bufio.NewScanner(os.Stdin)
	for scanner.Scan() {
		lines = append(lines, scanner.Text())
	}
	keep := len(os.Args) > 1 && os.Args[1] == "--all"
	for _, e := range top(countWords(lines, keep), 10) {
		fmt.Printf("%6d %s\n", e.count, e.word)
	}
}
