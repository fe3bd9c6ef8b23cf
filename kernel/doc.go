// Package kernel is a Jupyter kernel (messaging protocol 5.3) over ZeroMQ
// (github.com/go-zeromq/zmq4): it binds the five sockets a connection file
// names, signs and checks every message, and answers shell, control and
// stdin requests with an Evaluator — in the shipped binary (cmd/mlxkernel),
// mlx-go's engine.
//
// How the work is split:
//
//   - One goroutine per ROUTER socket (shell, control, stdin) receives,
//     checks the signature and decodes; bad messages are logged and dropped.
//   - Control requests (interrupt, shutdown, kernel_info) and shell's
//     kernel_info and comm_info are answered by the receiver at once, so
//     they never wait behind a running cell.
//   - Every other shell request goes, in order, to one worker goroutine,
//     which brackets it with busy/idle and runs cells in the Evaluator.
//   - Cell output: descriptors 1 and 2 are pipes (Capture); a pump per pipe
//     turns what arrives into stream messages while the cell runs (text
//     arriving within 20 ms goes out together), and a flush marker written
//     through each pipe tells the worker that all output is out before it
//     publishes the result and replies.
//   - Replies leave in one write: zmq4 writes each frame of a ROUTER
//     message separately, so ROUTER connections are corked while a message
//     is sent (cork.go).
//   - IOPub is a PUB socket: what it sends before a subscriber has
//     subscribed is lost, so readiness messages wait for the first
//     subscriber (status.go), and the ports are bound before the Go runtime
//     even starts (prebind.c), sparing clients ZeroMQ's reconnect delay.
package kernel
