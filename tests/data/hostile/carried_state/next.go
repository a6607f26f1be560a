package main

// Built after the attack: a poisoned build cache would make this a COMPILE_ERROR.
import (
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	var found []string
	for _, base := range []string{".", "/tmp", "/dev/shm"} {
		for _, name := range []string{"planted-marker", "locked"} {
			if _, err := os.Lstat(base + "/" + name); err == nil {
				found = append(found, base+"/"+name)
			}
		}
	}
	sort.Strings(found)
	if len(found) == 0 {
		fmt.Println("clean")
	} else {
		fmt.Println("carried", strings.Join(found, " "))
	}
}
