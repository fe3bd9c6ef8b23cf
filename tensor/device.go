package tensor

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/mlx-go/mlx-go/tensor/cgo"
)

// Device is where ops run.
type Device int

// The devices.
const (
	CPU Device = 0
	GPU Device = 1
)

func (d Device) String() string {
	if d == GPU {
		return "gpu"
	}
	return "cpu"
}

// Available reports whether this build of MLX can run ops on d.
func (d Device) Available() bool { return cgo.DeviceAvailable(int(d)) }

// opt lets a Device be passed as an option: tensor.Add(a, b, tensor.CPU).
func (d Device) opt() (string, any) { return "stream", d }

// Stream is an ordered queue of work on a device.
type Stream struct{ s cgo.Stream }

// Device is the stream's device.
func (s Stream) Device() Device { return Device(s.s.Device) }

func (s Stream) String() string { return fmt.Sprintf("Stream(%s, %d)", s.Device(), s.s.Index) }

// opt lets a Stream be passed as an option.
func (s Stream) opt() (string, any) { return "stream", s }

// Synchronize waits until all work queued on s is done.
func (s Stream) Synchronize() { check("synchronize", cgo.Synchronize(s.s)) }

// NewStream makes a new stream on d.
func NewStream(d Device) Stream {
	s, err := cgo.NewStream(int(d))
	check("new_stream", err)
	return Stream{s}
}

// Every op gets an explicit stream (see package cgo for why): one per device,
// made on first use, shared by all goroutines.
var (
	streamsOnce   [2]sync.Once
	streams       [2]cgo.Stream
	defaultDevice atomic.Int32
)

func init() {
	if cgo.DeviceAvailable(int(GPU)) {
		defaultDevice.Store(int32(GPU))
	}
}

// DefaultStreamOf returns the shared stream of d.
func DefaultStreamOf(d Device) Stream {
	streamsOnce[d].Do(func() {
		s, err := cgo.NewStream(int(d))
		check("new_stream", err)
		streams[d] = s
	})
	return Stream{streams[d]}
}

func defaultStream() cgo.Stream { return DefaultStreamOf(DefaultDevice()).s }

// DefaultDevice is the device ops use when given none: the GPU where MLX has one.
func DefaultDevice() Device { return Device(defaultDevice.Load()) }

// SetDefaultDevice changes the device ops use when given none.
func SetDefaultDevice(d Device) {
	if !d.Available() {
		panic(&Error{Op: "set_default_device", Msg: fmt.Sprintf("device %s is not available in this MLX build", d)})
	}
	defaultDevice.Store(int32(d))
}

// Synchronize waits for all work on the default device's stream.
func Synchronize() { DefaultStreamOf(DefaultDevice()).Synchronize() }
