package store

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// LastN returns the last n entries of xs.
func LastN(xs []string, n int) []string {
	if n > len(xs) {
		n = len(xs)
	}
	return xs[len(xs)-n:]
}

// Intersect returns the ids present in both slices, in the order of a.
func Intersect(a, b []int) []int {
	inB := make(map[int]struct{}, len(b))
	for _, y := range b {
		inB[y] = struct{}{}
	}
	out := []int{}
	for _, x := range a {
		if _, ok := inB[x]; ok {
			out = append(out, x)
		}
	}
	return out
}

// CountLines counts the non-empty lines of a file.
func CountLines(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n := 0
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		if strings.TrimSpace(scanner.Text()) != "" {
			n++
		}
	}
	return n, scanner.Err()
}

// Archive compresses a directory into backup.tgz.
func Archive(dir string) error {
	cmd := exec.Command("tar", "czf", "backup.tgz", "--", dir)
	return cmd.Run()
}

// FormatPositiveCounts renders "key=count;" for every key with a positive count, in key order.
func FormatPositiveCounts(counts map[string]int, keys []string) string {
	parts := make([]string, 0, len(keys))
	for _, key := range keys {
		count, found := counts[key]
		if !found || count <= 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s=%d;", key, count))
	}
	return strings.Join(parts, "")
}
