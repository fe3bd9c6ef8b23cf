package kernel

// #include "prebind.h"
import "C"

import (
	"os"
	"sync"
)

var prebindMu sync.Mutex

// takePrebound returns the socket prebind.c bound for port, once; nil when
// there is none.
func takePrebound(port int) *os.File {
	prebindMu.Lock()
	defer prebindMu.Unlock()
	for i := 0; i < C.MLXK_PORTS; i++ {
		if int(C.mlxk_prebound_port[i]) == port && C.mlxk_prebound_fd[i] >= 0 {
			fd := C.mlxk_prebound_fd[i]
			C.mlxk_prebound_fd[i] = -1
			return os.NewFile(uintptr(fd), "prebound")
		}
	}
	return nil
}
