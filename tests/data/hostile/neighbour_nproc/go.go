package main

import (
	"fmt"
	"os/exec"
)

func main() {
	var cmds []*exec.Cmd
	for i := 0; i < 10; i++ {
		cmd := exec.Command("/bin/sleep", "0.3")
		if err := cmd.Start(); err != nil {
			fmt.Println("fork failed", err)
			continue
		}
		cmds = append(cmds, cmd)
	}
	for _, c := range cmds {
		c.Wait()
	}
	fmt.Println("forked", len(cmds))
}
