package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	if err := os.WriteFile("notes.txt", []byte("alpha\nbeta\n"), 0o644); err != nil {
		panic(err)
	}
	f, err := os.Open("notes.txt")
	if err != nil {
		panic(err)
	}
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	f.Close()
	fmt.Println(len(lines), "lines")
	fmt.Println(lines[1])
	if os.Remove("notes.txt") == nil {
		fmt.Println("removed")
	}
}
