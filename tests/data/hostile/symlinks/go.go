package main

import (
	"fmt"
	"os"
)

func main() {
	links := [][2]string{{"/etc/shadow", "shadow"}, {"{{SECRET_FILE}}", "secret"}, {"{{ESCAPE}}", "escape"},
		{"/", "root"}, {"/proc/1/root", "pid1root"}}
	for _, l := range links {
		os.Symlink(l[0], l[1])
	}
	for _, p := range []string{"shadow", "secret", "root/etc/shadow", "pid1root/etc/shadow", "pid1root{{SECRET_FILE}}"} {
		if b, err := os.ReadFile(p); err == nil {
			fmt.Println("read", p, string(b))
		} else {
			fmt.Println("denied read", p)
		}
	}
	os.WriteFile("escape", []byte("x"), 0o644)
	os.WriteFile("pid1root{{ESCAPE}}", []byte("x"), 0o644)
	fmt.Println("done")
}
