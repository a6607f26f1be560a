// Most frequent words: count with a map, then sort by (-count, word).
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
)

type wordCount struct {
	word  string
	count int
}

// topWords returns the k most frequent words, ties broken alphabetically.
func topWords(words []string, k int) []wordCount {
	counts := make(map[string]int)
	for _, w := range words {
		counts[w]++
	}
	entries := make([]wordCount, 0, len(counts))
	for w, c := range counts {
		entries = append(entries, wordCount{w, c})
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].count != entries[j].count {
			return entries[i].count > entries[j].count
		}
		return entries[i].word < entries[j].word
	})
	if k < len(entries) {
		entries = entries[:k]
	}
	return entries
}

func main() {
	scanner := bufio.NewScanner(bufio.NewReaderSize(os.Stdin, 1<<16))
	scanner.Split(bufio.ScanWords)
	scanner.Scan()
	k, _ := strconv.Atoi(scanner.Text())
	var words []string
	for scanner.Scan() {
		words = append(words, scanner.Text())
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for _, e := range topWords(words, k) {
		fmt.Fprintf(out, "%s %d\n", e.word, e.count)
	}
}
