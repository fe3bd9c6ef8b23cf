// Command mlxkernel is mlx-go's Jupyter kernel.
//
//	mlxkernel -f CONNECTION_FILE                      run (this is what Jupyter starts)
//	mlxkernel install [--user | --sys-prefix | --prefix DIR]
//	mlxkernel uninstall [--user | --sys-prefix | --prefix DIR]
//	mlxkernel version
//
// The kernel keeps cell history across sessions in
// ~/.local/share/mlx-go/kernel-history.jsonl (macOS: ~/Library/Application
// Support/mlx-go); MLXKERNEL_HISTORY=FILE puts it elsewhere, =off keeps it in
// memory. Its own log goes to the standard error Jupyter started it with.
package main

import (
	"fmt"
	"os"
)

// version is the kernel's implementation version (kernel_info).
const version = "0.1.0"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mlxkernel:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return usageError("")
	}
	switch args[0] {
	case "install":
		return install(args[1:])
	case "uninstall":
		return uninstall(args[1:])
	case "version", "--version":
		fmt.Println("mlxkernel", version)
		return nil
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	case "-f", "--connection-file", "kernel":
		if args[0] == "kernel" {
			args = args[1:]
			if len(args) > 0 && (args[0] == "-f" || args[0] == "--connection-file") {
				args = args[1:]
			}
		} else {
			args = args[1:]
		}
		if len(args) != 1 {
			return usageError("-f needs one connection file")
		}
		return serve(args[0])
	}
	return usageError(fmt.Sprintf("unknown command %q", args[0]))
}

const usage = `usage:
  mlxkernel -f CONNECTION_FILE       run the kernel (Jupyter does this)
  mlxkernel install [--user | --sys-prefix | --prefix DIR]
                                     make Jupyter list the "mlx-go" kernel (default --user)
  mlxkernel uninstall [--user | --sys-prefix | --prefix DIR]
  mlxkernel version

environment:
  MLXKERNEL_HISTORY=FILE|off         where cell history is kept across sessions
`

func usageError(msg string) error {
	if msg != "" {
		msg += "\n"
	}
	return fmt.Errorf("%s%s", msg, usage)
}
