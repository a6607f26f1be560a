package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Item is one stock line.
type Item struct {
	SKU          string
	Quantity     int
	ReorderLevel int
}

func parseLine(line string) (Item, error) {
	parts := strings.Split(line, ",")
	if len(parts) < 3 || parts[0] == "" {
		return Item{}, fmt.Errorf("bad line %q", line)
	}
	quantity, err := strconv.Atoi(parts[1])
	if err != nil {
		return Item{}, err
	}
	level, err := strconv.Atoi(parts[2])
	if err != nil {
		return Item{}, err
	}
	return Item{SKU: parts[0], Quantity: quantity, ReorderLevel: level}, nil
}

func (it Item) classify() string {
	if it.Quantity == 0 {
		return "out"
	} else if it.Quantity <= it.ReorderLevel {
		return "low"
	} else if it.Quantity > 10*it.ReorderLevel || it.ReorderLevel == 0 {
		return "excess"
	}
	return "ok"
}

func (it Item) reorderQuantity(pending int) int {
	shortfall := it.ReorderLevel*2 - it.Quantity - pending
	if shortfall > 0 && it.ReorderLevel > 0 {
		return shortfall
	}
	return 0
}

func describe(code int) string {
	switch code {
	case 0:
		return "none"
	case 1, 2:
		return "few"
	default:
		return "many"
	}
}

func main() {
	scanner := bufio.NewScanner(os.Stdin)
	counts := map[string]int{}
	for scanner.Scan() {
		item, err := parseLine(strings.TrimSpace(scanner.Text()))
		if err != nil {
			continue
		}
		counts[item.classify()]++
		fmt.Println(item.SKU, item.reorderQuantity(0), describe(item.Quantity))
	}
	for label, n := range counts {
		fmt.Printf("%s: %d\n", label, n)
	}
}
