package main

import (
	"fmt"
	"unicode/utf8"
)

func main() {
	fmt.Println("héllo wörld ✓ 你好 🙂")
	fmt.Println(utf8.RuneCountInString("héllo"), "runes")
}
