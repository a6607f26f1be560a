// Most frequent words: open-addressing table given generous headroom up front.
package main

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"os"
	"sort"
	"strconv"
)

// headroom is the number of slots per input word (rounded up to a power of
// two), so the table never grows.
const headroom = 128

// empty marks an unused slot.
const empty = -1

func slotOf(word string, size int) int {
	h := fnv.New64a()
	h.Write([]byte(word))
	return int(h.Sum64() % uint64(size))
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
	size := 1
	for size < len(words)+1 {
		size *= 2
	}
	size *= headroom
	keys := make([]int32, size) // index into words of the slot's word
	counts := make([]int32, size)
	for i := range keys {
		keys[i] = empty
	}
	var used []int
	for w, word := range words {
		slot := slotOf(word, size)
		for keys[slot] != empty && words[keys[slot]] != word {
			slot = (slot + 1) % size
		}
		if keys[slot] == empty {
			keys[slot] = int32(w)
			used = append(used, slot)
		}
		counts[slot]++
	}
	sort.Slice(used, func(i, j int) bool {
		a, b := used[i], used[j]
		if counts[a] != counts[b] {
			return counts[a] > counts[b]
		}
		return words[keys[a]] < words[keys[b]]
	})
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for i := 0; i < len(used) && i < k; i++ {
		fmt.Fprintf(out, "%s %d\n", words[keys[used[i]]], counts[used[i]])
	}
}
