// Command mlxrepl is the interactive Go session for MLX.
//
//	mlxrepl                 interactive (history in ~/.mlxrepl_history)
//	mlxrepl file.go         run a file (its main too, if it has one)
//	mlxrepl -e 'expr'       evaluate and print
//	mlxrepl < script.go     run a script from a pipe, input by input
//
// Non-interactive runs stop at the first error and exit with status 1.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	// Our own flag set: the interpreter's stdlib tables link testing/quick,
	// whose init registers flags on the global set.
	flags := flag.NewFlagSet("mlxrepl", flag.ExitOnError)
	expr := flags.String("e", "", "evaluate Go source (an expression's value is printed) and exit")
	flags.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: mlxrepl [file.go | -e 'source']  (no argument: interactive, or a script on stdin)")
		flags.PrintDefaults()
	}
	flags.Parse(os.Args[1:])

	switch {
	case *expr != "":
		os.Exit(runSource(*expr))
	case flags.NArg() == 1:
		src, err := os.ReadFile(flags.Arg(0))
		if err != nil {
			fmt.Fprintln(os.Stderr, "mlxrepl:", err)
			os.Exit(1)
		}
		os.Exit(runSource(string(src)))
	case flags.NArg() > 1:
		flags.Usage()
		os.Exit(2)
	case isTerminal(os.Stdin):
		os.Exit(interactive())
	default:
		os.Exit(runScript(os.Stdin))
	}
}
