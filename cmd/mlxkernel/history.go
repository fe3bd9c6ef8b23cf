package main

import (
	"os"
	"path/filepath"
	"runtime"
)

// historyFile is where the kernel keeps cell history across sessions:
// $MLXKERNEL_HISTORY if set ("off" keeps it in memory only), else
// mlx-go/kernel-history.jsonl in the user's data folder.
func historyFile() string {
	if p, ok := os.LookupEnv("MLXKERNEL_HISTORY"); ok {
		if p == "off" {
			return ""
		}
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	data := os.Getenv("XDG_DATA_HOME")
	switch {
	case runtime.GOOS == "darwin":
		data = filepath.Join(home, "Library", "Application Support")
	case data == "":
		data = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(data, "mlx-go", "kernel-history.jsonl")
}
