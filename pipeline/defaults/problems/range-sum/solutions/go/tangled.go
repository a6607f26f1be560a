package main

import (
	"bufio"
	"os"
	"strconv"
)

func main() {
	s := bufio.NewScanner(os.Stdin)
	s.Buffer(make([]byte, 65536), 1048576)
	s.Split(bufio.ScanWords)
	var a, b, l, r int64
	var v, t, x1, x2 int64
	s.Scan()
	a, _ = strconv.ParseInt(s.Text(), 10, 64)
	s.Scan()
	b, _ = strconv.ParseInt(s.Text(), 10, 64)
	P := make([]int64, a+1)
	// fmt.Println(a, b)
	for i := int64(1); i <= a; i++ {
		s.Scan()
		v, _ = strconv.ParseInt(s.Text(), 10, 64)
		if v >= 0 {
			P[i] = P[i-1] + v
		} else {
			if v < 0 {
				x1 = P[i-1]
				P[i] = x1 + v
			}
		}
	}
	// for _, y := range P { fmt.Print(y, " ") }
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for j := int64(0); j < b; j++ {
		s.Scan()
		l, _ = strconv.ParseInt(s.Text(), 10, 64)
		s.Scan()
		r, _ = strconv.ParseInt(s.Text(), 10, 64)
		if l > 0 {
			if r >= l {
				if r <= a {
					if l == r {
						t = P[r] - P[l-1]
						w.WriteString(strconv.FormatInt(t, 10))
						w.WriteByte('\n')
					} else {
						if l < r {
							x1 = P[r]
							x2 = P[l-1]
							t = x1 - x2
							w.WriteString(strconv.FormatInt(t, 10))
							w.WriteByte('\n')
						} else {
							w.WriteString("0\n")
						}
					}
				} else {
					w.WriteString("0\n")
				}
			} else {
				w.WriteString("0\n")
			}
		} else {
			w.WriteString("0\n")
		}
	}
	// fmt.Println("done", b)
}
