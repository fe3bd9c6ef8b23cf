package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/mlx-go/mlx-go/kernel"
	"github.com/mlx-go/mlx-go/tensor"
)

// serve runs the kernel for one connection file until Jupyter shuts it down.
func serve(connectionFile string) error {
	conn, err := kernel.ReadConnection(connectionFile)
	if err != nil {
		return err
	}
	// From here on descriptors 1 and 2 belong to the cells; the kernel's own
	// log goes to the original stderr, which Jupyter shows in its console.
	capture, err := kernel.CaptureStdio()
	if err != nil {
		return err
	}
	logger := log.New(capture.Log, "[mlxkernel] ", log.LstdFlags)
	log.SetOutput(capture.Log)

	k, err := kernel.New(kernel.Config{
		Connection:   conn,
		NewEvaluator: newEngine,
		Output:       capture,
		Log:          logger,
		Version:      version,
		HistoryFile:  historyFile(),
		Banner: func() string {
			return fmt.Sprintf("mlx-go %s: Go with MLX %s on %s\nType Go: declarations, statements, expressions. name? shows documentation.",
				version, tensor.Version(), tensor.DefaultDevice())
		},
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	// Ctrl-C in the terminal that started Jupyter reaches the kernel too:
	// like ipykernel, it interrupts the running cell instead of killing us.
	sigint := make(chan os.Signal, 1)
	signal.Notify(sigint, os.Interrupt)
	go func() {
		for range sigint {
			k.Interrupt()
		}
	}()

	if _, err := k.Run(ctx); err != nil {
		logger.Printf("%v", err)
		return err
	}
	return nil
}
