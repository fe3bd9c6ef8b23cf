package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/mlx-go/mlx-go/kernelspec"
)

// kernelsDir reads the --user / --sys-prefix / --prefix flags (at most one;
// --user when none) and returns the kernels folder they name.
func kernelsDir(cmd string, args []string) (string, error) {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	user := fs.Bool("user", false, "")
	sys := fs.Bool("sys-prefix", false, "")
	prefix := fs.String("prefix", "", "")
	if err := fs.Parse(args); err != nil {
		return "", usageError(cmd + ": " + err.Error())
	}
	if fs.NArg() > 0 {
		return "", usageError(fmt.Sprintf("%s: unexpected argument %q", cmd, fs.Arg(0)))
	}
	n := 0
	for _, set := range []bool{*user, *sys, *prefix != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		return "", usageError(cmd + ": choose one of --user, --sys-prefix, --prefix")
	}
	switch {
	case *sys:
		return kernelspec.SysPrefixDir()
	case *prefix != "":
		abs, err := filepath.Abs(*prefix)
		if err != nil {
			return "", err
		}
		return kernelspec.PrefixDir(abs), nil
	}
	return kernelspec.UserDir()
}

func install(args []string) error {
	dir, err := kernelsDir("install", args)
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("install: where is this binary? %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	spec, err := kernelspec.Install(dir, exe)
	if err != nil {
		return err
	}
	fmt.Printf("installed kernelspec %s in %s\n", kernelspec.Name, spec)
	return nil
}

func uninstall(args []string) error {
	dir, err := kernelsDir("uninstall", args)
	if err != nil {
		return err
	}
	spec, err := kernelspec.Uninstall(dir)
	if err != nil {
		return err
	}
	fmt.Printf("removed kernelspec %s from %s\n", kernelspec.Name, spec)
	return nil
}
