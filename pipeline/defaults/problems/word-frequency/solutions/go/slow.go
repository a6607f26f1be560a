// Most frequent words, naive: collect the distinct words with a linear search,
// then count each one by scanning the whole text again.
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

// contains reports whether word is in list.
func contains(list []string, word string) bool {
	for _, w := range list {
		if w == word {
			return true
		}
	}
	return false
}

// occurrences counts how often word appears in words.
func occurrences(words []string, word string) int {
	n := 0
	for _, w := range words {
		if w == word {
			n++
		}
	}
	return n
}

func main() {
	scanner := bufio.NewScanner(bufio.NewReader(os.Stdin))
	scanner.Split(bufio.ScanWords)
	scanner.Scan()
	k, _ := strconv.Atoi(scanner.Text())
	var words, distinct []string
	for scanner.Scan() {
		word := scanner.Text()
		words = append(words, word)
		if !contains(distinct, word) {
			distinct = append(distinct, word)
		}
	}
	entries := make([]wordCount, len(distinct))
	for i, w := range distinct {
		entries[i] = wordCount{w, occurrences(words, w)}
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].count != entries[j].count {
			return entries[i].count > entries[j].count
		}
		return entries[i].word < entries[j].word
	})
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for i := 0; i < len(entries) && i < k; i++ {
		fmt.Fprintf(out, "%s %d\n", entries[i].word, entries[i].count)
	}
}
