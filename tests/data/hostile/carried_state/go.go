package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Poison every Go build cache it can reach, then plant files and lock directories.
func main() {
	for _, root := range []string{os.Getenv("GOCACHE"), "/gocache", "/tmp/codepref-sandbox-gocache", "{{GOCACHE}}"} {
		if root == "" {
			continue
		}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				os.Chmod(p, 0o500)
			} else {
				os.WriteFile(p, []byte("poisoned"), 0o644)
			}
			return nil
		})
		os.WriteFile(filepath.Join(root, "planted-marker"), []byte("x"), 0o644)
	}
	for _, base := range []string{".", "/tmp", "/dev/shm"} {
		os.MkdirAll(filepath.Join(base, "locked"), 0o755)
		os.WriteFile(filepath.Join(base, "locked", "planted-marker"), []byte("x"), 0o644)
		os.WriteFile(filepath.Join(base, "planted-marker"), []byte("x"), 0o644)
		os.Chmod(filepath.Join(base, "locked"), 0o555)
	}
	fmt.Println("planted")
}
