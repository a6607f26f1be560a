package store

import (
	"fmt"
	"io/ioutil"
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
	data, err := ioutil.ReadFile(path)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) != "" {
			n++
		}
	}
	return n, nil
}

// Archive compresses a directory into backup.tgz.
func Archive(dir string) error {
	cmd := exec.Command("sh", "-c", "tar czf backup.tgz "+dir)
	return cmd.Run()
}

func P(m map[string]int, k []string) string {
	s := ""
	for i := 0; i < len(k); i++ {
		if v, ok := m[k[i]]; ok {
			if v > 0 {
				s = s + k[i] + "=" + fmt.Sprint(v) + ";"
			}
		}
	}
	return s
}
