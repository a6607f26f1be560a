package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func cpu() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

func main() {
	switch os.Getenv("ROLE") {
	case "mem": // holds 100 MB until killed; never waited for
		b := make([]byte, 100<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		fmt.Println("m")
		for {
			time.Sleep(time.Second)
			b[0]++
		}
	case "burn":
		x := 0
		for cpu() < 1.2 {
			for k := 0; k < 1000000; k++ {
				x++
			}
		}
		fmt.Println("c", x%2)
		return
	}
	start := func(role string) *exec.Cmd {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "ROLE="+role)
		out, _ := cmd.StdoutPipe()
		cmd.Start()
		buf := make([]byte, 1)
		out.Read(buf)
		return cmd
	}
	for i := 0; i < 3; i++ {
		start("mem")
	}
	start("burn") // read its answer, never Wait() for it
	fmt.Println("done")
}
